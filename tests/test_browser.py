"""What a person clicks, in headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""
from __future__ import annotations

import re

import pytest

from kb.build import build
from kb.web import create_app

from helpers import FIXTURE, TODAY, needs_browser, serious_accessibility_violations, serve

pytestmark = [pytest.mark.browser, needs_browser]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "build"
    build(FIXTURE, out, today=TODAY)
    url, stop = serve(create_app({"BUILD_DIR": str(out), "TODAY": TODAY}))
    yield url
    stop()



@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_search_from_home_opens_result_at_section_anchor(site, page):
    page.goto(site + "/")
    assert page.evaluate("document.activeElement.id") == "q"  # search box has focus
    page.fill("#q", "preserve data germany")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    first = page.locator(".results-list .result-title").first
    assert "Germany" in first.inner_text() and "Preservation" in first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/countries/de#preservation$"))
    box = page.locator("#preservation").bounding_box()
    assert box is not None and 0 <= box["y"] < 300  # scrolled to the section


def test_search_as_you_type_is_keyboard_navigable(site, page):
    page.goto(site + "/")
    page.locator("#q").press_sequentially("Bundesamt", delay=20)
    options = page.locator("#q-suggestions [role=option]")
    options.first.wait_for(state="visible", timeout=5000)
    assert page.get_attribute("#q", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/countries/de#central-authority$"))


def test_central_authority_with_source_is_two_clicks_from_home(site, page):
    page.goto(site + "/")
    page.click("text=Germany")
    page.wait_for_url(re.compile(r"/countries/de$"))
    area = page.locator(".factbox .area", has_text="Central authority")
    assert "Bundesamt für Justiz" in area.inner_text()
    area.locator("sup.cite a").first.click()
    page.wait_for_url(re.compile(r"#src-fx-treaty$"))
    assert "Example treaty office page" in page.locator("#src-fx-treaty").inner_text()


def test_countries_table_filters_as_you_choose(site, page):
    page.goto(site + "/countries")
    rows = page.locator("#countries-table tbody tr[data-region]")
    assert rows.count() == 2
    page.select_option("#f-retention", "annulled")
    visible = [r.inner_text() for r in rows.all() if r.is_visible()]
    assert len(visible) == 1 and "Germany" in visible[0]
    assert page.locator("[data-count]").inner_text() == "1"
    assert "retention=annulled" in page.url


def test_country_page_prints_as_a_short_card_with_sources(site, page):
    page.goto(site + "/countries/de")
    page.emulate_media(media="print")
    assert page.locator("header.site nav").is_hidden()
    assert page.locator(".toc").is_hidden()
    assert page.locator("#src-fx-law .url").is_visible()  # printed cards show the source addresses
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, pages


@pytest.mark.parametrize("path", ["/", "/countries", "/countries/de", "/providers/example-mail", "/topics/mla",
                                  "/search?q=germany", "/compare?countries=de,nl", "/coverage", "/sources",
                                  "/about", "/countries/zz"])
def test_no_serious_accessibility_violations(site, browser, path):
    bad = serious_accessibility_violations(browser, site + path)
    assert not bad, bad


def test_readable_on_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(site + "/countries/de")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 380, width
