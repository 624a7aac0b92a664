"""Bulk data: the build writes the files, /export lists them with the licence and build stamp and serves them."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing


def download(client, url):
    """The response with its body read and the file it streamed from closed."""
    resp = client.get(url)
    resp.get_data()
    resp.close()
    return resp


def test_export_page_states_licence_build_stamp_and_lists_every_file(client, built):
    html = client.get("/export").data.decode()
    stamp = (built / "current").resolve().name
    assert f"build {stamp}" in html and 'rel="license' in html and "CC BY 4.0" in html
    for name in ("kb.db", "kb.json", "facts.csv", "sources.csv"):
        assert f'href="/export/{name}"' in html


def test_json_download_has_entries_facts_with_source_dates_and_sources(client):
    resp = download(client, "/export/kb.json")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    doc = json.loads(resp.data)
    assert {(e["kind"], e["key"]) for e in doc["entries"]} == {("countries", "de"), ("countries", "nl"),
                                                                ("providers", "example-mail"), ("topics", "mla")}
    fact = next(f for f in doc["facts"] if f["key"] == "de" and f["field"] == "budapest.status")
    assert fact["sources"] == [{"id": "fx-treaty", "published": "2006", "accessed": "2026-11-01"}]
    assert {s["id"] for s in doc["sources"]} == {"fx-treaty", "fx-law", "fx-provider", "fx-old"}
    assert doc["licence"]["name"] and doc["build"]["stamp"]
    de = next(e for e in doc["entries"] if e["key"] == "de")
    assert de["data"]["central_authority"]["name"].startswith("Bundesamt für Justiz")


def test_csv_download_is_one_row_per_fact_with_bom_and_accents(client, built):
    body = download(client, "/export/facts.csv").data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    with closing(sqlite3.connect((built / "current" / "kb.db").resolve())) as db:
        assert len(rows) == db.execute("select count(*) from facts").fetchone()[0]
    name = next(r for r in rows if r["field"] == "central_authority.name")
    assert name["value"] == "Bundesamt für Justiz (Federal Office of Justice)"
    assert name["source_titles"] == "Example treaty office page" and name["source_dates"] == "2006"


def test_sqlite_download_is_the_build_database(client, tmp_path):
    path = tmp_path / "kb.db"
    path.write_bytes(download(client, "/export/kb.db").data)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("select count(*) from entries where kind = 'countries'").fetchone()[0] == 2


def test_unknown_download_is_a_friendly_404(client):
    resp = client.get("/export/secrets.txt")
    assert resp.status_code == 404 and b"files are listed on /export" in resp.data
