"""Pages rendered once per build and kept: validators, 304s, gzip, invalidation on publish."""
from __future__ import annotations

import datetime as dt
import gzip
from email.utils import format_datetime

import pytest

from kb.build import build

from helpers import TODAY


@pytest.mark.parametrize("url", ["/", "/countries", "/countries/de", "/api/countries/de", "/providers",
                                 "/search?q=germany", "/api/search?q=preservation", "/compare?countries=de,nl",
                                 "/compare.csv?countries=de,nl", "/sources"])
def test_repeated_request_is_served_from_the_cache_with_the_same_body_and_validators(app, client, url):
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["ETag"].startswith('"') and not first.headers["ETag"].startswith("W/")
    assert "max-age" in second.headers["Cache-Control"]
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert app.extensions["kb_cache"].hits >= 1


def test_csv_download_keeps_its_file_name_when_cached(client):
    url = "/compare.csv?countries=de,nl"
    client.get(url)
    assert "compare-de-nl.csv" in client.get(url).headers["Content-Disposition"]


def test_matching_etag_gets_304_without_a_body(client):
    etag = client.get("/countries/de").headers["ETag"]
    again = client.get("/countries/de", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    other = client.get("/countries/de", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and b"Germany" in other.data


def test_first_request_with_a_known_etag_is_already_304(app, built):
    """A second worker (or a restarted one) answers 304 to an ETag another one handed out."""
    from kb.web import create_app

    etag = app.test_client().get("/countries/nl").headers["ETag"]
    fresh = create_app({"BUILD_DIR": str(built), "TESTING": True, "TODAY": TODAY}).test_client()
    assert fresh.get("/countries/nl", headers={"If-None-Match": etag}).status_code == 304


def test_if_modified_since_gets_304_when_nothing_was_published_since(client):
    last = client.get("/providers").headers["Last-Modified"]
    assert client.get("/providers", headers={"If-Modified-Since": last}).status_code == 304
    earlier = format_datetime(dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc), usegmt=True)
    assert client.get("/providers", headers={"If-Modified-Since": earlier}).status_code == 200
    assert client.get("/providers", headers={"If-Modified-Since": "not a date"}).status_code == 200


def test_gzip_is_sent_to_clients_that_accept_it(client):
    plain = client.get("/sources")
    packed = client.get("/sources", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    assert "Content-Encoding" not in plain.headers


def test_the_cache_keeps_only_the_gzip_bytes_of_a_page_and_unpacks_them_for_clients_without_gzip(app, client):
    plain = client.get("/sources")  # stored on this first request, answered from the cache by the next ones
    cache = app.extensions["kb_cache"]
    (entry,) = [e for k, e in cache.items.items() if k[3] == "/sources?"]
    assert entry.gzipped and entry.size == len(entry.data) < len(plain.data)
    assert gzip.decompress(entry.data) == plain.data
    again = client.get("/sources")
    assert again.data == plain.data and "Content-Encoding" not in again.headers


def test_different_queries_get_their_own_answers(client):
    germany = client.get("/api/search?q=germany").get_json()
    netherlands = client.get("/api/search?q=netherlands").get_json()
    assert germany["results"][0]["code"] == "DE"
    assert netherlands["results"][0]["code"] == "NL"
    assert client.get("/api/search?q=germany").get_json() == germany


def test_errors_are_not_cached_and_carry_no_validators(client):
    for _ in range(2):
        resp = client.get("/countries/zz")
        assert resp.status_code == 404
        assert "ETag" not in resp.headers
    assert client.get("/search?limit=abc").status_code == 400


def test_publishing_a_new_build_serves_the_new_page_with_a_new_etag(app, client, content_dir, built):
    before = client.get("/countries/nl")
    path = content_dir / "countries" / "nl.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Netherlands", "Kingdom of the Netherlands", 1),
                    encoding="utf-8")
    build(content_dir, built, today=TODAY)
    after = client.get("/countries/nl", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert b"Kingdom of the Netherlands" in after.data
    assert after.headers["ETag"] != before.headers["ETag"]


def test_verification_ages_change_with_the_day(built):
    from kb.web import create_app

    today = create_app({"BUILD_DIR": str(built), "TESTING": True, "TODAY": TODAY}).test_client()
    later = create_app({"BUILD_DIR": str(built), "TESTING": True,
                        "TODAY": TODAY + dt.timedelta(days=400)}).test_client()
    a, b = today.get("/countries/de"), later.get("/countries/de")
    assert a.headers["ETag"] != b.headers["ETag"]
    assert a.data != b.data


def test_head_requests_get_the_validators_and_no_body(client):
    client.get("/topics")
    head = client.head("/topics")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"]


def test_a_cached_page_is_not_served_to_a_host_the_app_refuses(built):
    from kb.web import create_app

    app = create_app({"BUILD_DIR": str(built), "TESTING": True, "TODAY": TODAY, "TRUSTED_HOSTS": ["localhost"]})
    client = app.test_client()
    assert client.get("/countries/de", headers={"Host": "localhost"}).status_code == 200
    assert client.get("/countries/de", headers={"Host": "localhost"}).status_code == 200  # now from the cache
    assert client.get("/countries/de", headers={"Host": "evil.example"}).status_code == 400
