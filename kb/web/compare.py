"""Compare fields across countries, as a table and as CSV."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, g, render_template

from kb.fields import COVERAGE
from kb.web.params import bad, csv_list
from kb.web.present import present_fact

bp = Blueprint("compare", __name__)
AREAS = COVERAGE["countries"]
DEFAULT_FIELDS = ["central_authority", "contact_24_7", "preservation", "retention"]


def selection():
    countries = [c.lower() for c in csv_list("countries")]
    fields = csv_list("fields") or DEFAULT_FIELDS
    known = {e["key"]: e for e in g.store.entries("countries")}
    unknown = [c for c in countries if c not in known]
    if unknown:
        bad(f"Unknown country code(s): {', '.join(unknown)}. Use ISO codes such as de,fr "
            f"(known: {', '.join(sorted(known))[:300]}).")
    if len(countries) > 60:
        bad("Compare at most 60 countries at once.")
    fields_known = set(AREAS) | {f for f in _dotted_fields()}
    wrong = [f for f in fields if f not in fields_known]
    if wrong:
        bad(f"Unknown field(s): {', '.join(wrong)}. Use areas ({', '.join(AREAS)}) or dotted fields such as "
            "retention.months.")
    return [known[c] for c in countries], fields


def _dotted_fields():
    return {r["field"] for r in g.store.rows("select distinct field from facts where kind = 'countries'")
            if not any(ch.isdigit() for ch in r["field"])}


def cells(entries, fields):
    sources = {s["id"]: s for s in g.store.sources()}
    facts_of = {e["key"]: g.store.facts("countries", e["key"]) for e in entries}
    table = []
    for f in fields:
        row = []
        for e in entries:
            facts = [x for x in facts_of[e["key"]] if x["field"] == f or x["field"].startswith(f + ".")]
            row.append([present_fact(x, sources, {}, g.today) for x in facts])
        label = AREAS[f][0] if f in AREAS else f
        table.append((f, label, row))
    return table


@bp.get("/compare")
def compare():
    entries, fields = selection()
    table = cells(entries, fields) if entries else []
    return render_template("compare.html", entries=entries, fields=fields, table=table, areas=AREAS,
                           all_countries=g.store.entries("countries"), title="Compare countries")


@bp.get("/compare.csv")
def compare_csv():
    entries, fields = selection()
    if not entries:
        bad("Name the countries to compare, e.g. /compare.csv?countries=de,fr&fields=retention,preservation.")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["country", "code", "field", "value", "as_of", "sources", "source_urls", "verified"])
    for f, _label, row in cells(entries, fields):
        for e, facts in zip(entries, row, strict=True):
            if not facts:
                writer.writerow([e["name"], e["key"].upper(), f, "not yet curated", "", "", "", ""])
            for x in facts:
                value = "; ".join(x["value"]) if isinstance(x["value"], list) else x["value"]
                writer.writerow([e["name"], e["key"].upper(), x["field"], value, x["as_of"],
                                 "; ".join(s["id"] for s in x["sources"]),
                                 " ".join(s["url"] for s in x["sources"]), x["verified"]])
    name = "compare-" + "-".join(e["key"] for e in entries)[:80] + ".csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
