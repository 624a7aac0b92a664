"""The comparison builder in Chromium: one action picks a group, the header and first column stay
in view while scrolling, it works on a phone, and axe finds nothing serious."""
from __future__ import annotations

import re

import pytest

from kb.build import build
from kb.web import create_app

from helpers import FIXTURE, TODAY, needs_browser, serious_accessibility_violations, serve


pytestmark = [pytest.mark.browser, needs_browser]
FIELDS = ("budapest.status,second_protocol.status,central_authority,contact_24_7,preservation,retention,"
          "emergency,memberships")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture content plus 58 copies of the Dutch entry under other codes: 60 rows to compare."""
    import shutil

    import pycountry

    base = tmp_path_factory.mktemp("compare")
    content = base / "content"
    shutil.copytree(FIXTURE, content)
    nl = (content / "countries" / "nl.md").read_text(encoding="utf-8")
    codes = [c.alpha_2 for c in pycountry.countries if c.alpha_2 not in ("DE", "NL")][:58]
    for code in codes:
        (content / "countries" / f"{code.lower()}.md").write_text(
            nl.replace("code: NL", f"code: {code}").replace("name: Netherlands", f"name: Copy {code}"),
            encoding="utf-8")
    out = base / "build"
    build(content, out, today=TODAY)
    url, stop = serve(create_app({"BUILD_DIR": str(out), "TODAY": TODAY}))
    yield url
    stop()



def test_one_choice_picks_a_group_and_the_permalink_keeps_it(site, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site + "/compare")
    page.select_option("#c-membership", "EU")
    page.click("button:has-text('Compare')")
    page.wait_for_url(re.compile(r"membership=EU"))
    rows = page.locator("table.compare tbody tr")
    assert rows.count() == 1 and "Germany" in rows.first.inner_text()  # the copies list no membership
    permalink = page.get_attribute("a[rel=bookmark]", "href")
    page.goto(site + permalink)
    assert page.locator("table.compare tbody tr").count() == 1
    page.close()


def test_header_and_first_column_stay_in_view_when_scrolling(site, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site + f"/compare?countries=all&fields={FIELDS}")
    wrap = page.locator(".compare-wrap")
    assert page.locator("table.compare tbody tr").count() == 60
    header = page.locator("table.compare thead th").nth(3)
    country = page.locator("table.compare tbody th").first
    before_h, before_c = header.bounding_box(), country.bounding_box()
    scrolled = wrap.evaluate("w => { w.scrollTop = 400; w.scrollLeft = 600; return [w.scrollTop, w.scrollLeft]; }")
    assert scrolled[0] > 50 and scrolled[1] > 50  # the table really scrolled both ways
    after_h, after_c = header.bounding_box(), country.bounding_box()
    assert abs(after_h["y"] - before_h["y"]) < 2  # sticky header
    assert abs(after_c["x"] - before_c["x"]) < 2  # sticky first column
    page.close()


def test_usable_on_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(site + f"/compare?countries=all&fields={FIELDS}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 380  # the table scrolls, not the page
    first = page.locator("table.compare tbody th").first.bounding_box()
    assert first["width"] < 200  # the country column leaves room for the values
    context.close()


@pytest.mark.parametrize("path", [f"/compare?countries=all&fields={FIELDS}", "/compare", "/countries?membership=EU",
                                  "/sources?age=old", "/export", "/changes"])
def test_no_serious_accessibility_violations(site, browser, path):
    bad = serious_accessibility_violations(browser, site + path)
    assert not bad, bad
