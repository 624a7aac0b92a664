"""What is indexed: the Whoosh schema and the documents built for each entry section.

One document per section (and one per entry for its overview), carrying the entry-level
fields (names, aliases and the declared facets) so that "preserve data germany" lands on
/countries/de#preservation.
"""
from __future__ import annotations

import json
from collections.abc import Sequence

from whoosh import fields as wf

from kb import facets
from kb.kinds import KINDS
from kb.search.analysis import analyzer, plain_analyzer, prep

KIND_LABELS = {k.name: k.singular.capitalize() for k in KINDS.values()}

SCHEMA = wf.Schema(
    doc_id=wf.ID(stored=True, unique=True),
    kind=wf.ID(stored=True),
    key=wf.ID(stored=True),
    section=wf.ID(stored=True),
    url=wf.STORED(),
    name=wf.STORED(),
    label=wf.TEXT(analyzer=analyzer(), phrase=False),  # entry name, aliases and the section heading
    heading_text=wf.STORED(),
    body=wf.TEXT(analyzer=analyzer(), stored=True, phrase=False),
    words=wf.TEXT(analyzer=plain_analyzer(), spelling=True, phrase=False),  # unstemmed vocabulary for suggestions
    # and one field per declared search facet (kb.facets): Field(..., facet=True) in kb/fields.py
    **{f.name: (wf.KEYWORD(stored=True, commas=True) if f.multi else wf.ID(stored=True))
       for f in facets.search_facets()},
)



# Groups in no coverage area that belong with a section all the same (other designated
# authorities are contacts like the central authority's); every other group follows kb.kinds.
SECTION_EXTRA_GROUPS = {"countries": {"central-authority": ("other_authorities",)}}


def section_areas() -> dict[str, dict[str, tuple[str, ...]]]:
    """Which front-matter groups are indexed with which section: each kind's coverage areas that
    name a section (kb.kinds), so a country's preservation facts are searched with #preservation,
    plus SECTION_EXTRA_GROUPS. Facts of any other group go with the notes."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind in KINDS.values():
        areas: dict[str, tuple[str, ...]] = {}
        for _label, groups, section in kind.coverage.values():
            if section:
                areas[section] = areas.get(section, ()) + tuple(groups)
        for section, groups in SECTION_EXTRA_GROUPS.get(kind.name, {}).items():
            areas[section] = areas.get(section, ()) + groups
        if areas:
            out[kind.name] = areas
    return out


SECTION_AREAS = section_areas()

MULTI = {f.name for f in facets.search_facets() if f.multi}  # facets whose documents hold several values
FACETS = facets.facet_labels()  # name -> label: kind, then every field declared with facet=True


def documents_for(entry: dict, sections: list[dict], facts) -> list[dict]:
    aliases = " ".join(json.loads(entry["aliases"]))
    data = entry["data"] if isinstance(entry["data"], dict) else json.loads(entry["data"])
    names = prep(f"{entry['name']} {aliases}")
    base = {"kind": entry["kind"], "key": entry["key"], "name": entry["name"], "names": names,
            **{f.name: facets.index_value(data, f) for f in facets.search_facets()}}
    facts_text: dict[str, list[str]] = {}
    for f in facts:
        facts_text.setdefault(f.field.split(".")[0], []).append(f.value)
    # Which structured facts are indexed with which section (those of no section go to notes).
    area_of = SECTION_AREAS[entry["kind"]] if entry["kind"] in SECTION_AREAS else {}
    docs = []
    overview = entry["summary"] or ""
    docs.append(dict(base, doc_id=f"{entry['kind']}/{entry['key']}", section="", url=entry["url"],
                     heading="Overview", heading_text="Overview", body=prep(overview),
                     words=f"{entry['name']} {aliases} {overview}"))
    placed = {a for areas in area_of.values() for a in areas}
    for s in sections:
        areas: Sequence[str] = area_of.get(s["section"], ())
        if s["section"] == "notes":
            areas = [a for a in facts_text if a not in placed]
        extra = " ".join(v for a in areas for v in facts_text.get(a, []))
        body = s["text"] + (" " + extra if extra else "")
        if entry["kind"] == "topics":  # a topic's aliases are concept words: on its overview only,
            base = dict(base, names=prep(entry["name"]))  # or every section would outrank country pages
        docs.append(dict(base, doc_id=f"{entry['kind']}/{entry['key']}#{s['section']}", section=s["section"],
                         url=f"{entry['url']}#{s['section']}",
                         heading=prep(s["title"]), heading_text=s["title"], body=prep(body),
                         words=f"{s['title']} {body}"))
    return docs
