"""Hostile requests: bad Host headers, redirects built from the client's Host, spreadsheet
formulas in CSV cells, and a property-based sweep of every route with hostile parameters and
headers (no 5xx, nothing reflected unescaped)."""
from __future__ import annotations

import csv
import gzip
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.build import build
from kb.web import create_app, trusted_hosts

from helpers import TODAY


@pytest.fixture(scope="module")
def module_build(tmp_path_factory):
    """The fixture content built once for this module (these tests only read it)."""
    from helpers import FIXTURE

    out = tmp_path_factory.mktemp("hostile") / "build"
    build(FIXTURE, out, today=TODAY)
    return out


BAD_HOSTS = ["a..b", "x" * 64 + ".example", "evil.example", "localhost\\@evil", "[::1", "é" * 70]


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize("url", ["/", "/countries/de", "/search?q=x", "/nowhere", "/api/countries", "/api"])
def test_bad_or_untrusted_host_is_a_400_page_not_a_500(module_build, host, url):
    client = create_app({"BUILD_DIR": str(module_build), "TODAY": TODAY}).test_client()
    resp = client.get(url, headers={"Host": host})
    assert resp.status_code == 400, (host, url, resp.status_code)
    assert "Location" not in resp.headers
    if url.startswith("/api/"):
        assert resp.get_json()["error"]["status"] == 400
    else:
        assert (b"not trusted" in resp.data or b"could not be understood" in resp.data), resp.data
        assert b"/static/style.css" in resp.data


def test_slash_redirect_is_relative_never_to_the_client_host(client):
    resp = client.get("/api", headers={"Host": "localhost"})
    assert resp.status_code in (301, 308) and resp.headers["Location"] == "/api/"
    resp = client.get("/countries/DE/")
    assert resp.status_code == 301 and resp.headers["Location"] == "/countries/de"


def test_trusted_hosts_come_from_the_environment(module_build, monkeypatch):
    built = module_build
    assert trusted_hosts(None) == ["localhost", "127.0.0.1", "::1"]
    assert trusted_hosts("kb.example.org, .example.net") == ["kb.example.org", ".example.net"]
    assert trusted_hosts("*") is None
    monkeypatch.setenv("KB_TRUSTED_HOSTS", "kb.example.org,.example.net")
    client = create_app({"BUILD_DIR": str(built), "TODAY": TODAY}).test_client()
    assert client.get("/", headers={"Host": "kb.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "www.example.net:8443"}).status_code == 200
    assert client.get("/about", headers={"Host": "localhost"}).status_code == 400  # (a cached page is host-free)
    monkeypatch.setenv("KB_TRUSTED_HOSTS", "*")
    client = create_app({"BUILD_DIR": str(built), "TODAY": TODAY}).test_client()
    assert client.get("/", headers={"Host": "anything.example"}).status_code == 200
    for host in ("a..b", "x" * 64 + ".example"):  # werkzeug cannot bind these: still a page, not a 500
        resp = client.get("/countries/de", headers={"Host": host})
        assert resp.status_code == 400 and b"/static/style.css" in resp.data


FORMULA = re.compile(r"^[=+\-@\t\r]")


def test_compare_csv_neutralises_formulas(content_dir, tmp_path):
    de = content_dir / "countries" / "de.md"
    de.write_text(de.read_text().replace("name: Bundesamt für Justiz (Federal Office of Justice)",
                                         'name: "=HYPERLINK(\\"https://evil.example\\",\\"x\\")"'))
    out = tmp_path / "out"
    build(content_dir, out, today=TODAY)
    client = create_app({"BUILD_DIR": str(out), "TODAY": TODAY}).test_client()
    resp = client.get("/compare.csv?countries=de,nl&fields=central_authority.name,central_authority.phone")
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if FORMULA.match(c)], cells
    assert any(c.startswith("'=HYPERLINK") for c in cells), cells
    assert any(c.startswith("'+49") for c in cells), cells  # phone numbers start with +


# -- property-based sweep of every route -----------------------------------------------------
WEB = Path(__file__).parent.parent / "kb" / "web"
PARAM_RE = re.compile(r"""(?:args\.get|args\.getlist|choice|integer|csv_list)\(\s*["']([a-z_]+)["']""")
# Every query parameter a view reads, found in the code so that a new parameter is swept too.
PARAMS = sorted({m for f in WEB.glob("*.py") for m in PARAM_RE.findall(f.read_text(encoding="utf-8"))}) or ["q"]
MARK = "kbx"  # hostile values carry it; an HTML answer must never hold it unescaped after < " or '
PAYLOADS = [
    f"<{MARK} onmouseover=alert(1)>", f'"><{MARK}>', f"'{MARK}", f'"{MARK}', f"</textarea><{MARK}>",
    f"javascript:alert('{MARK}')", "{{7*7}}", "{% raw %}", "' OR 1=1 --", "../../../../etc/passwd", "%00", "\x00",
    "\r\nSet-Cookie: a=b", "A" * 5000, "𝕏" * 300, "de,nl," * 200, "-1", "999999999999999999999", "NaN", "1e308",
    "de", "DE", "countries", "retention", "preservation.max_days", "*", "AND (", 'field:"x', "\u202e", "%",
    "=cmd|' /C calc'!A0", "+49 1", "@SUM(1)",
]
hostile = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=40),
                    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(max_size=10)))
HOSTS = ["localhost", "127.0.0.1", "localhost:5000"]
header_values = st.one_of(hostile.map(lambda s: s.replace("\r", "").replace("\n", "").replace("\x00", "")),
                          st.sampled_from(["gzip", "*/*", "text/html", "bytes=0-10", '"x"', "W/\"1\"",
                                           "Tue, 01 Dec 2026 00:00:00 GMT", "not a date"]))
HEADERS = ["Accept", "Accept-Encoding", "Accept-Language", "If-None-Match", "If-Modified-Since", "Range",
           "Cookie", "User-Agent", "Referer", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"]
SEGMENT_RE = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def rules(app):
    return sorted(r.rule for r in app.url_map.iter_rules())


def fill(rule: str, draw) -> str:
    def one(m: re.Match) -> str:
        conv, args, _name = m.groups()
        if conv == "any":
            options = [a.strip().strip("'\"") for a in args.split(",")]
            return draw(st.one_of(st.sampled_from(options), hostile.map(lambda s: quote(s, safe=""))))
        value = draw(st.one_of(st.sampled_from(["de", "nl", "example-mail", "mla", "style.css", "app.js"]),
                               hostile))
        return quote(value, safe="/" if conv == "path" else "")

    # An empty segment would start the path with "//", which the test client reads as a host name.
    return SEGMENT_RE.sub(lambda m: one(m) or "-", rule)


@st.composite
def requests(draw, routes):
    path = fill(draw(st.sampled_from(routes)), draw)
    query = draw(st.lists(st.tuples(st.one_of(st.sampled_from(PARAMS), hostile), hostile), max_size=4))
    headers = {"Host": draw(st.sampled_from(HOSTS))}
    for name in draw(st.lists(st.sampled_from(HEADERS), max_size=3, unique=True)):
        headers[name] = draw(header_values)
    method = draw(st.sampled_from(["GET"] * 8 + ["HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]))
    return method, path, query, headers


@pytest.fixture(scope="module")
def sweep_client(module_build):
    return create_app({"BUILD_DIR": str(module_build), "TODAY": TODAY}).test_client()


def test_every_route_under_hostile_parameters_and_headers_never_answers_5xx_or_reflects(sweep_client):
    routes = rules(sweep_client.application)
    assert "/compare.csv" in routes and "/api/search" in routes and len(PARAMS) >= 5
    seen = {"requests": 0}

    @settings(max_examples=2000, derandomize=True, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(requests(routes))
    def check(req):
        method, path, query, headers = req
        seen["requests"] += 1
        resp = sweep_client.open(path, method=method, query_string=query, headers=headers)
        try:
            assert resp.status_code < 500, (method, path, query, headers, resp.status_code, resp.data[:300])
            location = resp.headers.get("Location")
            if location:
                assert location.startswith("/") and not location.startswith("//"), location
            if resp.mimetype == "text/html" and method != "HEAD":
                raw = resp.get_data()
                if resp.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                body = raw.decode("utf-8").lower()
                for bad in (f"<{MARK}", f'"{MARK}', f"'{MARK}", "<script>alert", "traceback (most recent"):
                    assert bad not in body, (bad, method, path, query, headers)
        finally:
            resp.close()

    check()
    assert seen["requests"] >= 2000
