"""Static export: the whole site as files that work from file://, a USB stick or any web server.

`python -m kb export DIR` renders every page of the current build with the real Flask app,
rewrites site-absolute links to relative ones (`/countries/de#retention` becomes
`../countries/de.html#retention` on a page one folder down), writes the JSON API as `.json`
files, copies the static files, and replaces the search page with one that searches in the
browser: `search-index.js` holds the index (a plain script, because Chromium refuses fetch()
and XHR on file://), `static/offline-search.js` runs the query. The index carries Whoosh's own
analysis precomputed (every indexed word mapped to its stem, the synonym groups, the stop
words), so the browser needs no stemmer. It reads the build only, never content/.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

from kb import search, site, store
from kb.kinds import CARD_KINDS
from kb.kinds import KINDS as DECLARED_KINDS

KINDS = tuple(DECLARED_KINDS)  # declared in kb.kinds
SPECIAL = ("/compare", "/search")  # exported with a query of their own, below
PAGES = {p.path: p.export for p in site.PAGES if p.export and p.path not in SPECIAL}  # if the app serves them
MAX_COMPARE = 60  # the compare page takes at most this many countries
LINK_RE = re.compile(r'(\s(?:href|src|action|formaction)=")(/(?!/)[^"]*)"')
SNIPPET_CHARS = 320
OFFLINE_PAGE = "offline.html"


class ExportError(Exception):
    """A sentence for the person running the export."""


@dataclass
class ExportResult:
    out: Path
    pages: int = 0
    api: int = 0
    documents: int = 0
    index_bytes: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"Exported {self.pages} pages, {self.api} API files and an offline search over {self.documents} "
                f"sections ({self.index_bytes / 1e6:.1f} MB) to {self.out}; open {self.out / 'index.html'} "
                "in a browser.")
        if self.skipped:
            text += f" Skipped (could not render): {', '.join(self.skipped[:10])}."
        return text


# -- addresses -------------------------------------------------------------------------------
def file_for(path: str, exported: set[str]) -> str | None:
    """The exported file for a site path (no query, no fragment), or None if there is none."""
    path = path.rstrip("/") or "/"
    if path in PAGES:
        return PAGES[path] if path in exported else None
    if path.startswith("/static/"):
        return path[1:]
    if path in ("/search", "/compare"):
        return path[1:] + ".html"
    if path == "/compare.csv":
        return "compare.csv" if "/compare.csv" in exported else None
    if path == "/api":
        return "api/index.json"
    parts = path.strip("/").split("/")
    if parts[0] == "api" and len(parts) in (2, 3) and parts[1] in KINDS:
        target = "/" + "/".join(parts).lower()
        return f"{target[1:]}.json" if target in exported else None
    if len(parts) == 3 and parts[0] in CARD_KINDS and parts[2] == "card":
        target = f"/{parts[0]}/{parts[1].lower()}/card"
        return f"{target[1:]}.html" if target in exported else None
    if len(parts) == 2 and parts[0] == "sources":  # one source and who cites it
        return f"sources/{parts[1]}.html" if path in exported else None
    if len(parts) == 2 and parts[0] in KINDS:
        target = f"/{parts[0]}/{parts[1].lower()}"
        return f"{target[1:]}.html" if target in exported else None
    return None


def relative(target: str, page: str) -> str:
    depth = page.count("/")
    return "../" * depth + target


def rewrite_links(markup: str, page: str, exported: set[str]) -> str:
    """Site-absolute links become relative links to exported files; others go to offline.html."""
    def fix(m: re.Match) -> str:
        raw = html.unescape(m.group(2))
        parts = urlsplit(raw)
        target = file_for(parts.path, exported)
        if target is None:
            out = relative(OFFLINE_PAGE, page)
        else:
            out = relative(target, page)
            if target == "search.html" and parts.query:
                out += "?" + parts.query
        if parts.fragment:
            out += "#" + parts.fragment
        return f'{m.group(1)}{html.escape(out, quote=True)}"'

    markup = LINK_RE.sub(fix, markup)
    return markup.replace(" data-suggest", "")  # search-as-you-type asks the server


# -- the offline search index ------------------------------------------------------------------
def documents(s: store.Store) -> list[dict]:
    """The search documents of the build, made by the same function the build indexes with."""
    docs = []
    for kind in KINDS:
        for e in s.entries(kind):
            row = dict(e, aliases=json.dumps(e["aliases"]), memberships=json.dumps(e["memberships"]))
            facts = [SimpleNamespace(field=f["field"], value=f["value"]) for f in s.facts(kind, e["key"])]
            docs += search.documents_for(row, s.sections(kind, e["key"]), facts)
    return docs


def _fold_map() -> dict[str, str]:
    """Characters Whoosh's accent folding maps differently from Unicode decomposition (ß, ø, ł ...)."""
    from whoosh.support.charset import accent_map

    out = {}
    for code, repl in accent_map.items():
        if code >= 0x2000:
            continue
        ch = chr(code)
        nfkd = "".join(c for c in unicodedata.normalize("NFKD", ch.lower()) if not unicodedata.combining(c))
        if isinstance(repl, int):
            repl = chr(repl)
        if repl is not None and repl.lower() != nfkd:
            out[ch] = repl.lower()
    return out


def search_index(docs: list[dict]) -> dict:
    stem_of = search.analyzer()
    plain = search.plain_analyzer()
    postings: dict[str, list[int]] = {}
    label_len, body_len = [], []
    surface: dict[str, str] = {}
    freq: Counter = Counter()
    rows = []
    for n, d in enumerate(docs):
        label = f"{d['names']} {d['heading']}"
        label_terms = Counter(t.text for t in stem_of(label))
        body_terms = Counter(t.text for t in stem_of(d["body"]))
        label_len.append(sum(label_terms.values()))
        body_len.append(sum(body_terms.values()))
        for term in label_terms.keys() | body_terms.keys():
            postings.setdefault(term, []).extend((n, label_terms.get(term, 0), body_terms.get(term, 0)))
        for word in {t.text for t in plain(f"{label} {d['body']} {d['words']}")}:
            freq[word] += 1
            if word not in surface:
                stems = [t.text for t in stem_of(word)]
                surface[word] = stems[0] if stems else ""
        text = re.sub(r"\s+", " ", d["body"]).strip()
        rows.append([d["url"], d["name"], d["heading_text"] if d["section"] else "", d["kind"],
                     text[:SNIPPET_CHARS]])
    synonyms = [[" ".join(t.text for t in stem_of(search.prep(v))) for v in group] for group in search.SYNONYMS]
    return {
        "docs": rows, "postings": postings, "label_len": label_len, "body_len": body_len,
        "words": {w: (1 if s == w else s) for w, s in surface.items()}, "freq": dict(freq),
        "synonyms": synonyms, "synonym_weight": search.SYNONYM_WEIGHT, "stop": sorted(search.STOP),
        "boosts": search.FIELD_BOOSTS, "fold": _fold_map(), "kinds": search.KIND_LABELS,
        "bm25": {"B": 0.5, "K1": 0.8}, "coordination": search.COORDINATION_POWER,
        "avg": {"label": sum(label_len) / max(1, len(label_len)), "body": sum(body_len) / max(1, len(body_len))},
        "idf_docs": len(rows),
    }


def write_index_js(path: Path, index: dict) -> int:
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path.write_text(f"window.KB_SEARCH_INDEX={data};\n", encoding="utf-8")
    return path.stat().st_size


# -- pages -----------------------------------------------------------------------------------
SEARCH_MAIN = """<main id="main" tabindex="-1">
<h1>Search</h1>
<form class="search-form" role="search" action="search.html" method="get" id="offline-search">
  <label for="q">Search countries, providers and topics</label>
  <div class="search-row">
    <input id="q" name="q" type="search" autofocus autocomplete="off" aria-describedby="q-help"
           placeholder="e.g. preserve data germany, 24/7 japan, whatsapp emergency">
    <button type="submit">Search</button>
  </div>
  <p id="q-help" class="help">This copy searches in your browser, with no server and no network. Country names in
  any language, providers, legal terms; results link to the exact section.</p>
</form>
<p class="suggestion" id="search-suggestion" hidden></p>
<section class="results" aria-labelledby="h-results" id="search-results" hidden>
  <h2 id="h-results" aria-live="polite"></h2>
  <ol class="results-list" id="results-list"></ol>
</section>
<noscript><p>The offline search needs JavaScript. Browse the <a href="countries.html">countries</a>,
<a href="providers.html">providers</a> and <a href="topics.html">topics</a> instead.</p></noscript>
<script src="search-index.js"></script>
<script src="static/offline-search.js"></script>
</main>"""

OFFLINE_MAIN = """<main id="main" tabindex="-1">
<h1>Not in the offline copy</h1>
<p>This part of the site needs the server (it computes an answer for each request). Everything else
is here: <a href="countries.html">countries</a>, <a href="providers.html">providers</a>,
<a href="topics.html">topics</a>, <a href="compare.html">the comparison of every country</a>, the
<a href="sources.html">sources</a> and an offline <a href="search.html">search</a>. To use it, run
<code>python -m kb serve</code> on a machine with the knowledge base.</p>
</main>"""

MAIN_RE = re.compile(r"<main\b.*?</main>", re.S)


def export(build_dir: Path | str, out: Path | str, today=None) -> ExportResult:
    """Write the current build of `build_dir` as static files into `out` (replaced if it exists)."""
    from kb.web import create_app

    build_dir, out = Path(build_dir), Path(out)
    current = build_dir / "current"
    if not (current / store.DB_NAME).exists():
        raise ExportError(f"there is no published build in {build_dir}; run `python -m kb build` first.")
    if out.exists() and any(out.iterdir()) and not (out / "search-index.js").exists():
        raise ExportError(f"{out} exists and is not an earlier export; pick an empty or new folder.")
    s = store.Store(current / store.DB_NAME)
    try:
        keys = {kind: [e["key"] for e in s.entries(kind)] for kind in KINDS}
        source_ids = [r["id"] for r in s.rows("select id from sources order by id")]
        docs = documents(s)
    finally:
        s.close()
    app = create_app({"BUILD_DIR": str(build_dir), "TESTING": True, "TODAY": today})
    client = app.test_client()
    countries = ",".join(keys["countries"][:MAX_COMPARE])
    pages: dict[str, str] = {p: f for p, f in PAGES.items()  # site path (with query) -> file
                             if app.url_map.bind("localhost").test(p)}
    pages[f"/compare?countries={countries}"] = "compare.html"
    if "/sources" in pages:
        del pages["/sources"]
        pages["/sources?all=1"] = "sources.html"  # offline, every source on one page: no pager to follow
    pages["/search"] = "search.html"
    for kind in KINDS:
        for key in keys[kind]:
            pages[f"/{kind}/{key}"] = f"{kind}/{key}.html"
            if kind in CARD_KINDS and app.url_map.bind("localhost").test(f"/{kind}/{key}/card"):
                pages[f"/{kind}/{key}/card"] = f"{kind}/{key}/card.html"
    if app.url_map.bind("localhost").test("/sources/x"):
        pages.update({f"/sources/{sid}": f"sources/{sid}.html" for sid in source_ids})
    api = {"/api/": "api/index.json"}
    for kind in KINDS:
        api[f"/api/{kind}"] = f"api/{kind}.json"
        for key in keys[kind]:
            api[f"/api/{kind}/{key}"] = f"api/{kind}/{key}.json"
    extra = {f"/compare.csv?countries={countries}": "compare.csv"}
    exported = {p.split("?")[0] for p in (*pages, *api, *extra)}

    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    result = ExportResult(out)
    try:
        if app.static_folder is None:
            raise ExportError("the site has no static folder (kb/web/static) to copy; reinstall the package.")
        shutil.copytree(app.static_folder, tmp / "static")
        rendered = []  # first every answer, so that links to pages that failed can be redirected
        for path, name in {**pages, **api, **extra}.items():
            resp = client.get(path)
            if resp.status_code != 200:
                result.skipped.append(f"{path} (HTTP {resp.status_code})")
                exported.discard(path.split("?")[0])  # links to it lead to offline.html instead
                continue
            rendered.append((name, resp.get_data()))
        for name, data in rendered:
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if name.endswith(".html"):
                markup = data.decode("utf-8")
                if name == "search.html":
                    markup = MAIN_RE.sub(lambda _m: SEARCH_MAIN, markup, count=1)
                target.write_text(rewrite_links(markup, name, exported), encoding="utf-8")
                result.pages += 1
            else:
                target.write_bytes(data)
                result.api += name.endswith(".json")
        home = (tmp / "index.html").read_text(encoding="utf-8") if (tmp / "index.html").exists() else ""
        if home:
            offline = MAIN_RE.sub(lambda _m: OFFLINE_MAIN, home, count=1)
            offline = re.sub(r"<title>.*?</title>", "<title>Not in the offline copy · Legal channels across "
                             "borders</title>", offline, count=1, flags=re.S)
            (tmp / OFFLINE_PAGE).write_text(offline, encoding="utf-8")
        result.documents = len(docs)
        result.index_bytes = write_index_js(tmp / "search-index.js", search_index(docs))
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result

