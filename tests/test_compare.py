"""The comparison builder and its exports, on a fixture build with one extra country that has accents
and a value that a spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import io
import json

import pytest

from kb.build import build
from kb.web import create_app

from helpers import TODAY

AUSTRIA = """---
code: AT
name: Austria
official_name: Republik Österreich
aliases: [Österreich]
region: Europe
memberships: {value: [EU, CoE], source: fx-law}
budapest:
  status: signatory
  signed: 2001-11-23
  source: fx-treaty
preservation:
  legal_basis: "=HYPERLINK(\\"https://evil.example\\") § 1 StPO Türkiye-Abkommen"
  max_days: 60
  source: fx-law
contact_24_7:
  not_applicable: "Not a Party to the Convention, so no Art. 35 point of contact."
  source: fx-treaty
reviewed: 2026-11-01
---

## Central authority

Not yet curated.

## 24/7 contact point

Not yet curated.

## Legal process for ISPs

Not yet curated.

## Preservation

Preservation under the code [@fx-law].

## Data retention

Not yet curated.

## Emergency channels

Not yet curated.

## Notes

Not yet curated.
"""


@pytest.fixture
def client(content_dir, tmp_path):
    (content_dir / "countries" / "at.md").write_text(AUSTRIA, encoding="utf-8")
    out = tmp_path / "build"
    build(content_dir, out, today=TODAY)
    return create_app({"BUILD_DIR": str(out), "TESTING": True, "TODAY": TODAY}).test_client()


QUERY = "countries=all&fields=official_name,preservation.max_days,preservation.legal_basis,budapest.status,retention"


def test_rows_are_countries_and_columns_are_fields(client):
    html = client.get("/compare?" + QUERY).data.decode()
    table = html[html.index('<table class="compare"'):html.index("</table>")]
    assert table.count('<tr><th scope="row">') == 3  # Austria, Germany, Netherlands
    assert table.index("Austria") < table.index("Germany") < table.index("Netherlands")
    header = table[table.index("<thead>"):table.index("</thead>")]
    assert header.count('<th scope="col"') == 6  # the country column and five fields
    assert "Preservation: maximum" not in header and "Preservation: max days" in header


def test_countries_are_picked_in_one_action_by_membership(client):
    html = client.get("/compare?membership=EU&fields=budapest.status").data.decode()
    table = html[html.index('<table class="compare"'):]
    assert "/countries/at" in table and "/countries/de" in table and "/countries/nl" not in table


def test_group_filters_narrow_and_hand_picked_countries_add(client):
    html = client.get("/compare?budapest=party&membership=EU&countries=nl&fields=budapest.status").data.decode()
    table = html[html.index('<table class="compare"'):]
    assert "/countries/de" in table and "/countries/nl" in table and "/countries/at" not in table


def test_every_declared_field_is_offered_with_its_help(client):
    from kb.web.catalogue import column_index

    html = client.get("/compare").data.decode()
    for col in column_index("countries").values():
        assert f'value="{col.id}"' in html, col.id
    assert "Maximum preservation period in days." in html  # help text from kb.fields


def test_cells_show_value_numbered_sources_once_and_marks(client):
    html = client.get("/compare?countries=de,nl&fields=preservation.max_days,retention.status,"
                      "contact_24_7.phone").data.decode()
    table = html[html.index('<table class="compare"'):html.index("</table>")]
    assert 'href="#cs-1"' in table and "fx-law" not in table  # numbers, not raw ids
    assert table.count('class="unknown"') == 3  # no 24/7 phone for either; no structured max days for NL
    sources = html[html.index('class="compare-sources"'):]
    assert sources.count("<li id=\"cs-") == len({"fx-law", "fx-old"})
    assert "An old secondary source" in sources and "Example code of criminal procedure" in sources


def test_old_source_is_marked(client):
    # fx-treaty states 2006 as its date: more than five years before the fixture's today
    html = client.get("/compare?countries=de&fields=budapest.status,preservation.max_days").data.decode()
    cells = html[html.index("<tbody>"):html.index("</tbody>")].split("<td>")[1:]
    assert "old source" in cells[0] and "old source" not in cells[1]


def test_permalink_reproduces_the_table_and_the_form_works_without_javascript(client):
    html = client.get("/compare?membership=EU&fields=retention.status").data.decode()
    assert 'method="get" action="/compare"' in html
    link = html.split('rel="bookmark"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    again = client.get(link).data.decode()
    assert again.count('<tr><th scope="row">') == html.count('<tr><th scope="row">') == 2


def test_csv_export_has_bom_one_row_per_country_sources_column_and_neutralised_formulas(client):
    resp = client.get("/compare.csv?" + QUERY)
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Country", "Code"] and header[-1] == "Sources" and len(header) == 2 + 5 + 1
    assert [r[1] for r in body] == ["AT", "DE", "NL"]
    at = dict(zip(header, body[0], strict=True))
    assert at["Official name"] == "Republik Österreich"
    assert at["Preservation: legal basis"].startswith("'=HYPERLINK")  # neutralised, still readable
    assert "Türkiye" in at["Preservation: legal basis"]
    assert at["Preservation: max days"] == "60 [1]" and "[1] Example code of criminal procedure" in at["Sources"]
    nl = dict(zip(header, body[2], strict=True))
    assert nl["Official name"] == "unknown"


def test_xlsx_export_opens_with_the_same_rows_and_columns(client):
    from openpyxl import load_workbook

    resp = client.get("/compare.xlsx?" + QUERY)
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(resp.data))
    ws = wb["Comparison"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    csv_rows = list(csv.reader(io.StringIO(client.get("/compare.csv?" + QUERY).data.decode("utf-8-sig"))))
    assert len(rows) == len(csv_rows) == 4 and len(rows[0]) == len(csv_rows[0])
    assert rows[1][2] == "Republik Österreich"
    legal = rows[1][rows[0].index("Preservation: legal basis")]
    assert legal.startswith("=HYPERLINK") and ws.cell(2, rows[0].index("Preservation: legal basis") + 1).data_type == "s"
    assert [r[0] for r in wb["Sources"].iter_rows(min_row=2, values_only=True)] == ["1", "2", "3"]


def test_json_export_has_rows_cells_and_numbered_sources(client):
    resp = client.get("/compare.json?" + QUERY)
    doc = json.loads(resp.data)
    assert [r["code"] for r in doc["rows"]] == ["AT", "DE", "NL"]
    assert [f["id"] for f in doc["fields"]] == QUERY.split("fields=")[1].split(",")
    at = doc["rows"][0]["cells"]
    assert at["official_name"]["value"] == "Republik Österreich"
    assert at["preservation.max_days"] == {"value": "60", "text": "60 [1]", "sources": [1],
                                           "newest_source_date": None, "old_source": False,
                                           "not_applicable": None, "unknown": False}
    assert doc["rows"][2]["cells"]["official_name"]["unknown"] is True
    assert {s["n"] for s in doc["sources"]} == {1, 2, 3}


@pytest.mark.parametrize("url, message", [
    ("/compare?countries=de,zz", b"Unknown country code(s): zz"),
    ("/compare?countries=de&fields=weather", b"Unknown field(s): weather"),
    ("/compare?membership=Hogwarts", b"must be one of EU"),
    ("/compare.csv", b"Name the countries to compare"),
    ("/compare.xlsx?fields=retention", b"Name the countries to compare"),
])
def test_bad_selection_is_a_400_with_a_sentence(client, url, message):
    resp = client.get(url)
    assert resp.status_code == 400 and message in resp.data


def test_not_applicable_is_marked_apart_from_unknown(client):
    html = client.get("/compare?countries=at,nl&fields=contact_24_7.phone").data.decode()
    cells = html[html.index("<tbody>"):html.index("</tbody>")].split("<td>")[1:]
    assert 'class="mark na"' in cells[0] and "no Art. 35 point of contact" in cells[0]  # Austria
    assert 'class="unknown"' in cells[1]  # the Netherlands: not curated
    rows = list(csv.reader(io.StringIO(client.get("/compare.csv?countries=at&fields=contact_24_7.phone")
                                       .data.decode("utf-8-sig"))))
    assert rows[1][2].startswith("not applicable: Not a Party")
