"""The comparison builder: countries as rows, declared fields as columns; HTML, CSV, XLSX and JSON.

Every export is made from the same `Table` as the page, so a download holds exactly what the
page shows: one row per country, one column per field, and the sources once, numbered.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from flask import Blueprint, Response, g, render_template, url_for

from kb.frontmatter import value_at
from kb.web import catalogue
from kb.web.catalogue import NOT_APPLICABLE, Column
from kb.web.params import bad, csv_list
from kb.tabular import csv_text, xlsx_bytes
from kb import facets
from kb.facets import UNKNOWN

bp = Blueprint("compare", __name__)
DEFAULT_FIELDS = ["budapest.status", "contact_24_7.phone", "preservation.max_days", "retention.status",
                  "retention.months"]
MAX_COUNTRIES = 300
MAX_FIELDS = 40


@dataclass
class Cell:
    value: str = ""
    parts: list = field(default_factory=list)  # [(label, value)] for a whole group
    refs: list = field(default_factory=list)  # source numbers, in order
    newest: str = ""  # newest date any source gives for these facts
    old: bool = False
    na: str = ""  # why it does not apply ("" if it does)
    missing: bool = False
    kind: str = "text"  # for links: phone, email, url

    def text(self, numbers=True) -> str:
        """The cell as one line of text, as exports write it."""
        if self.missing:
            return UNKNOWN
        if self.na:
            return f"not applicable: {self.na}" if self.na != NOT_APPLICABLE else "not applicable"
        out = self.value + ("".join(f" [{n}]" for n in self.refs) if numbers else "")
        return out + (" (old source)" if self.old else "")


@dataclass
class Table:
    entries: list
    columns: list[Column]
    rows: list[list[Cell]]
    sources: list[dict]  # numbered, in order of first use
    params: dict  # the query that selects this table

    def row_sources(self, i: int) -> str:
        ns = sorted({n for c in self.rows[i] for n in c.refs})
        return "; ".join(f"[{n}] {self.sources[n - 1]['title']} <{self.sources[n - 1]['url']}>" for n in ns)

    def header(self) -> list[str]:
        return ["Country", "Code"] + [c.label for c in self.columns] + ["Sources"]

    def text_rows(self) -> list[list[str]]:
        return [[e["name"], e["key"].upper()] + [c.text() for c in row] + [self.row_sources(i)]
                for i, (e, row) in enumerate(zip(self.entries, self.rows, strict=True))]


def selection() -> tuple[list[dict], list[Column], dict[str, str], dict]:
    everyone = g.store.entries("countries")
    known = {e["key"]: e for e in everyone}
    picked = [c.lower() for c in csv_list("countries")]
    filters = catalogue.chosen("countries")
    every = "all" in picked
    picked = [c for c in picked if c != "all"]
    unknown = [c for c in picked if c not in known]
    if unknown:
        bad(f"Unknown country code(s): {', '.join(unknown)}. Use ISO codes such as de,fr "
            f"(known: {', '.join(sorted(known))[:300]}).")
    if every:
        chosen = list(everyone)
    else:
        by_filter = [e for e in everyone if facets.matches(e, filters, "countries")] if filters else []
        keys = {e["key"] for e in by_filter} | set(picked)
        chosen = [e for e in everyone if e["key"] in keys]
    if len(chosen) > MAX_COUNTRIES:
        bad(f"Compare at most {MAX_COUNTRIES} countries at once.")
    index = catalogue.column_index("countries")
    asked = csv_list("fields")
    wrong = [f for f in asked if f not in index]
    if wrong:
        bad(f"Unknown field(s): {', '.join(wrong)}. Pick fields from the list on /compare, e.g. retention.months "
            "or preservation (a whole group).")
    if len(asked) > MAX_FIELDS:
        bad(f"Compare at most {MAX_FIELDS} fields at once.")
    cols = [index[f] for f in dict.fromkeys(asked or DEFAULT_FIELDS)]
    params = {}
    if every:
        params["countries"] = "all"
    elif picked:
        params["countries"] = ",".join(picked)
    params.update(filters)
    params["fields"] = ",".join(c.id for c in cols)
    return chosen, cols, filters, params


def _norm(path: str) -> str:
    return ".".join(p for p in path.split(".") if not p.isdigit())


def _fmt(value, kind: str) -> str:
    if kind == "list":
        return value.replace("\n", " ")
    return str(value)


def build_table(entries: list[dict], cols: list[Column], params: dict, today: dt.date) -> Table:
    facts_of = {e["key"]: g.store.facts("countries", e["key"]) for e in entries}
    for facts in facts_of.values():
        for f in facts:
            f["norm"] = _norm(f["field"])  # once per fact, not once per cell
    ids = sorted({sid for facts in facts_of.values() for f in facts for sid in f["sources"]})
    all_sources = {s["id"]: s for s in g.store.sources(ids)}  # only the sources these facts cite
    numbers: dict[str, int] = {}
    labels = catalogue.column_index("countries")
    cutoff = (today - dt.timedelta(days=365 * catalogue.OLD_SOURCE_YEARS)).isoformat()
    rows = []
    for e in entries:
        facts = facts_of[e["key"]]
        row = []
        for col in cols:
            row.append(_cell(e, col, facts, all_sources, numbers, labels, cutoff))
        rows.append(row)
    ordered = sorted(numbers, key=numbers.__getitem__)
    sources = [dict(all_sources.get(sid, {"id": sid, "title": sid, "url": ""}), n=numbers[sid]) for sid in ordered]
    return Table(entries, cols, rows, sources, params)


def _na_reason(f: dict) -> str | None:
    """Why a fact says "does not apply", or None for an ordinary fact."""
    if f["field"].endswith(".not_applicable"):
        return f["value"] or NOT_APPLICABLE
    if f["value"] == NOT_APPLICABLE:
        return f["note"] or NOT_APPLICABLE
    return None


def _cell(entry, col: Column, facts, all_sources, numbers, labels, cutoff) -> Cell:
    group = col.id.split(".")[0]
    mine = [f for f in facts if f["norm"] == col.id or (col.whole and f["norm"].startswith(col.id + "."))]
    mine = [f for f in mine if not f["field"].endswith(".note")]
    group_na = [f for f in facts if f["field"] in (group, group + ".not_applicable") and _na_reason(f)]
    if group_na:
        mine = [f for f in mine if f not in group_na] or group_na
    if not mine:
        if "." not in col.id and col.type not in ("group", "groups"):
            value = value_at(entry["data"], col.id)
            if value is not None:
                text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
                return Cell(value=text, kind=col.type)
        return Cell(missing=True)
    cell = Cell(kind=col.type)
    dates = []
    for f in mine:
        for sid in f["sources"]:
            if sid not in numbers:
                numbers[sid] = len(numbers) + 1
            if numbers[sid] not in cell.refs:
                cell.refs.append(numbers[sid])
            dates.append(catalogue.source_date(all_sources.get(sid, {}).get("published")))
        dates.append(catalogue.source_date(f["as_of"]))
    reasons = [_na_reason(f) for f in mine]
    if all(reasons):
        cell.na = reasons[0] or NOT_APPLICABLE
        return cell
    mine = [f for f, r in zip(mine, reasons, strict=True) if not r]
    if col.whole:
        for f in mine:
            parts = f["field"].split(".")
            sub = ".".join(p for p in parts if not p.isdigit())
            item = next((p for p in parts if p.isdigit()), None)
            label = labels[sub].label.split(": ", 1)[-1] if sub in labels else parts[-1]
            label = label[:1].upper() + label[1:]
            if item is not None:
                label = f"{int(item) + 1}. {label}"
            cell.parts.append((label, _fmt(f["value"], "text")))
        cell.value = "; ".join(f"{label}: {value}" for label, value in cell.parts)
    else:
        cell.value = "; ".join(dict.fromkeys(_fmt(f["value"], col.type) for f in mine))
    dates = [d for d in dates if d]
    cell.newest = max(dates) if dates else ""
    cell.old = bool(cell.newest) and cell.newest < cutoff
    return cell


def permalink(params: dict, endpoint: str = "compare.compare") -> str:
    return url_for(endpoint, **params)


def _table() -> Table:
    entries, cols, _filters, params = selection()
    return build_table(entries, cols, params, g.today)


@bp.get("/compare")
def compare():
    entries, cols, filters, params = selection()
    table = build_table(entries, cols, params, g.today) if entries else None
    groups = catalogue.columns("countries")
    chosen_ids = {c.id for c in cols}
    return render_template("compare.html", table=table, entries=entries, columns=cols, chosen_ids=chosen_ids,
                           groups=groups, filters=facets.filters("countries"), chosen_filters=filters,
                           picked=set(csv_list("countries")), params=params,
                           all_countries=g.store.entries("countries"), title="Compare countries",
                           permalink=permalink(params) if entries else "", old_years=catalogue.OLD_SOURCE_YEARS)


def _need_rows(table_entries):
    if not table_entries:
        bad("Name the countries to compare, e.g. /compare.csv?countries=de,fr&fields=retention,preservation "
            "or ?membership=EU&fields=retention.months.")


def _filename(table: Table, ext: str) -> str:
    who = table.params.get("countries") or "-".join(f"{k}-{v}" for k, v in table.params.items() if k != "fields")
    stem = "compare-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in who)[:80]
    return f"{stem}.{ext}"


def _download(body, mimetype: str, table: Table, ext: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{_filename(table, ext)}"'})


@bp.get("/compare.csv")
def compare_csv():
    table = _table()
    _need_rows(table.entries)
    return _download(csv_text(table.header(), table.text_rows()).encode("utf-8"), "text/csv", table, "csv")


@bp.get("/compare.xlsx")
def compare_xlsx():
    table = _table()
    _need_rows(table.entries)
    sources = [[str(s["n"]), s.get("title", ""), s.get("url", ""), s.get("publisher", ""), s.get("published", ""),
                s.get("accessed", "")] for s in table.sources]
    body = xlsx_bytes([("Comparison", table.header(), table.text_rows()),
                       ("Sources", ["No.", "Title", "Address", "Publisher", "Source date", "Accessed"], sources)])
    return _download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", table, "xlsx")


@bp.get("/compare.json")
def compare_json():
    table = _table()
    _need_rows(table.entries)
    doc = {
        "permalink": permalink(table.params), "build": g.store.meta().get("stamp"),
        "fields": [{"id": c.id, "label": c.label, "help": c.help} for c in table.columns],
        "rows": [{"code": e["key"].upper(), "name": e["name"], "url": e["url"],
                  "cells": {c.id: {"value": None if cell.missing or cell.na else cell.value,
                                   "text": cell.text(), "sources": cell.refs, "newest_source_date": cell.newest or None,
                                   "old_source": cell.old, "not_applicable": cell.na or None,
                                   "unknown": cell.missing}
                            for c, cell in zip(table.columns, row, strict=True)}}
                 for e, row in zip(table.entries, table.rows, strict=True)],
        "sources": [{"n": s["n"], "id": s.get("id"), "title": s.get("title"), "url": s.get("url"),
                     "publisher": s.get("publisher") or None, "published": s.get("published") or None,
                     "accessed": s.get("accessed") or None} for s in table.sources],
    }
    return _download(json.dumps(doc, ensure_ascii=False, indent=1), "application/json", table, "json")


@bp.app_template_global()
def compare_export(ext: str, params: dict) -> str:
    return url_for(f"compare.compare_{ext}", **params)
