"""Pages for trainers and analysts, served from build artifacts: bulk data (/export), the world map
(/map), change history (/changes, its Atom feed, and the history section of entry pages)."""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache

from flask import Blueprint, Response, abort, g, render_template, request, send_file

from kb import store
from kb.kinds import KINDS

bp = Blueprint("analyst", __name__)


def build_path():
    return g.store.path.parent


def export_files() -> list[dict]:
    from kb import bulk  # a build step: imports the checker and renderer, so only when /export is asked for

    base = build_path()
    files = [{"name": store.DB_NAME, "format": "SQLite", "mimetype": "application/vnd.sqlite3",
              "about": "The whole build as one SQLite database (tables entries, facts, sources, sections, "
                       "citations, coverage).", "path": base / store.DB_NAME}]
    for name, (fmt, mimetype, about) in bulk.FILES.items():
        files.append({"name": name, "format": fmt, "mimetype": mimetype, "about": about,
                      "path": base / bulk.EXPORT_DIR / name})
    for f in files:
        f["size"] = f["path"].stat().st_size if f["path"].exists() else None
        if f["size"] is not None:
            f["size_text"] = (f"{f['size'] / 1048576:.1f} MB" if f["size"] >= 1048576
                              else f"{max(1, round(f['size'] / 1024))} kB")
    return files


@bp.get("/export")
def export():
    from kb import bulk

    return render_template("export.html", files=export_files(), licence=bulk.LICENCE, title="Bulk data")


@bp.get("/export/<name>")
def export_file(name):
    f = next((f for f in export_files() if f["name"] == name), None)
    if f is None:
        abort(404, description=f"There is no download called '{name[:60]}'; the files are listed on /export.")
    if f["size"] is None:
        abort(404, description=f"This build has no {name}: rebuild with `python -m kb build --force` to make it.")
    stamp = g.store.meta().get("stamp", "build")
    stem, _, ext = name.rpartition(".")
    return send_file(f["path"], mimetype=f["mimetype"], as_attachment=True,
                     download_name=f"legal-channels-{stamp}-{stem}.{ext}", conditional=True, max_age=60)


@bp.get("/map")
def world_map():
    from markupsafe import Markup

    from kb import mapsvg
    from kb.web.params import choice

    fields = mapsvg.map_fields()
    chosen = choice("field", [m.id for m in fields], fields[0].id)
    base = build_path() / mapsvg.MAP_DIR
    try:
        svg = Markup((base / f"{chosen}.svg").read_text(encoding="utf-8"))  # written by kb.mapsvg at build time
        doc = json.loads((base / f"{chosen}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        svg, doc = None, None
    return render_template("map.html", fields=fields, chosen=chosen, svg=svg, doc=doc, title="World map")


# -- change history (kb.history writes history.json at build time) ------------------------------
_HISTORY: dict[str, dict] = {}


def load_history() -> dict:
    from kb import history

    key = str(build_path())
    if key not in _HISTORY:
        try:
            doc = json.loads((build_path() / history.HISTORY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            doc = history.unavailable("This build has no change history: rebuild with `python -m kb build --force`.")
        _HISTORY.clear()  # keep only the current build's
        _HISTORY[key] = doc
    return _HISTORY[key]


@lru_cache(maxsize=4096)
def change_label(path: str) -> str:
    from kb.web.catalogue import column_index

    parts = path.split(".")
    plain = ".".join(p for p in parts if not p.isdigit())
    item = next((int(p) + 1 for p in parts if p.isdigit()), None)
    cols = {}
    for kind in KINDS:
        cols.update({k: v for k, v in column_index(kind).items() if k not in cols})
    label = cols[plain].label if plain in cols else plain.replace("_", " ").replace(".", ": ")
    return f"{label} (item {item})" if item else label


@bp.app_template_global()
def entry_history(kind: str, key: str) -> dict:
    doc = load_history()
    return {"available": doc.get("available", False), "reason": doc.get("reason", ""),
            "shallow": doc.get("shallow", False), "starts": doc.get("starts", ""),
            "rows": doc.get("entries", {}).get(f"{kind}/{key}", [])}


@bp.app_template_filter()
def change_field(path: str) -> str:
    return change_label(path)


def recent_changes():
    from kb.web import summaries
    from kb.web.filters import entry_url
    from kb.web.params import bad, choice

    doc = load_history()
    since_raw = request.args.get("since", "").strip()
    since = ""
    if since_raw:
        try:
            since = dt.date.fromisoformat(since_raw[:10]).isoformat()
        except ValueError:
            bad(f"The parameter 'since' must be a date such as 2026-11-01; received '{since_raw[:40]}'.")
    kind = choice("kind", list(KINDS))
    rows = [r for r in doc.get("recent", []) if (not since or r["date"][:10] >= since)
            and (not kind or r["kind"] == kind)]
    names = {(e["kind"], e["key"]): e["name"] for k in KINDS
             for e in summaries.entries(k, with_filters=False)}
    for r in rows:
        r["name"] = names.get((r["kind"], r["key"]), r["key"])
        r["url"] = entry_url(r["kind"], r["key"])
    return doc, rows, since, kind


@bp.get("/changes")
def changes():
    doc, rows, since, kind = recent_changes()
    return render_template("changes.html", doc=doc, rows=rows, since=since, kind=kind, title="Recent changes")


@bp.get("/changes.atom")
def changes_atom():
    doc, rows, since, kind = recent_changes()
    body = render_template("changes.atom.xml", doc=doc, rows=rows[:100], since=since, kind=kind)
    return Response(body, mimetype="application/atom+xml")
