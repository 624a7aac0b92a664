"""Pages for trainers and analysts that serve build artifacts: bulk data (/export), the world map (/map)."""
from __future__ import annotations

import json

from flask import Blueprint, abort, g, render_template, send_file

from kb import bulk, store

bp = Blueprint("analyst", __name__)


def build_path():
    return g.store.path.parent


def export_files() -> list[dict]:
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
