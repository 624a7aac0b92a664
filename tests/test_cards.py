"""Print cards: every country and provider card of the real content prints on at most two A4 pages,
with the emergency route first; a course pack starts each card on a new page."""
from __future__ import annotations

import io
import re

import pytest

from kb.web import create_app

from helpers import TODAY, needs_browser, serve


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_card_puts_the_emergency_route_before_the_facts(client):
    html = client.get("/countries/de/card").data.decode()
    card = html[html.index('<article class="card"'):]
    assert card.index('class="urgent"') < card.index('class="card-facts"') < card.index('class="card-sources"')
    assert "Bundesamt für Justiz" in card and "https://law.example.org/ccp" in card
    assert client.get("/providers/example-mail/card").status_code == 200


def test_course_pack_holds_the_chosen_cards_in_order(client):
    html = client.get("/cards?countries=nl,de&providers=example-mail").data.decode()
    heads = re.findall(r'<article class="card" aria-labelledby="card-(\w+)-([\w-]+)"', html)
    assert heads == [("countries", "nl"), ("countries", "de"), ("providers", "example-mail")]
    assert client.get("/cards?countries=all").data.decode().count('<article class="card"') == 2


@pytest.mark.parametrize("url, message", [("/cards", b"Name the cards"), ("/cards?countries=zz", b"Unknown countries"),
                                          ("/countries/zz/card", b"No country with the code")])
def test_bad_pack_or_card_is_a_sentence(client, url, message):
    resp = client.get(url)
    assert resp.status_code in (400, 404) and message in resp.data


@needs_browser
@pytest.mark.browser
def test_every_real_card_prints_on_at_most_two_a4_pages(real_build, browser):
    from kb import store

    db = store.Store((real_build / "current" / store.DB_NAME).resolve())
    urls = [r["url"] for r in db.rows("select url from entries where kind in ('countries', 'providers') "
                                      "order by kind, key")]
    db.close()
    assert len(urls) >= 70
    url, stop = serve(create_app({"BUILD_DIR": str(real_build), "TODAY": TODAY}))
    counts = {}
    try:
        page = browser.new_page()
        page.emulate_media(media="print")
        for u in urls:
            page.goto(url + u + "/card")
            first = page.evaluate("""() => { const u = document.querySelector('.card .urgent'),
                f = document.querySelector('.card .card-facts');
                return !!u && u.getBoundingClientRect().top < f.getBoundingClientRect().top; }""")
            assert first, f"{u}: the emergency route is not first"
            counts[u] = pages(page.pdf(format="A4"))
        page.goto(url + "/cards?countries=de,fr,us")
        pack = pages(page.pdf(format="A4"))
        page.close()
    finally:
        stop()
    too_long = {u: n for u, n in counts.items() if n > 2}
    assert not too_long, too_long
    assert pack == sum(counts[f"/countries/{c}"] for c in ("de", "fr", "us"))  # each card starts a new page


def test_card_downloads_as_a_pdf_with_the_emergency_route_first(client):
    from pypdf import PdfReader

    resp = client.get("/countries/de/card.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "attachment" in resp.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(resp.data))
    assert 1 <= len(reader.pages) <= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Bundesamt für Justiz" in text  # accents survive (Debian's DejaVu fonts)
    assert text.index("Urgent") < text.index("Central authority") < text.index("Sources")


def test_course_pack_downloads_as_one_pdf_with_every_card(client):
    single = {k: pages(client.get(f"/countries/{k}/card.pdf").data) for k in ("de", "nl")}
    pack = client.get("/cards.pdf?countries=de,nl")
    assert pack.status_code == 200 and pages(pack.data) == sum(single.values())
    assert client.get("/cards.pdf").status_code == 400
