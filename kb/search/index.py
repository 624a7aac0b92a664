"""Writing the index of one build (it is only read afterwards)."""
from __future__ import annotations

from pathlib import Path

from whoosh import index as windex

from kb.search.documents import SCHEMA


def write_index(path: Path, docs: list[dict], progress=None) -> None:
    path.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(path), SCHEMA)
    writer = ix.writer()
    for i, doc in enumerate(docs, 1):
        doc = dict(doc)
        doc["label"] = f"{doc.pop('names')} {doc.pop('heading')}"  # one short field: fewer matchers a query
        writer.add_document(**doc)
        if progress and (i % 200 == 0 or i == len(docs)):
            progress("indexing", i, len(docs))
    writer.commit()
