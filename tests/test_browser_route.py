"""The investigator's three flows in headless Chromium, on the real content: emergency from the home
page, a route through the /route form, a preservation draft printed and downloaded; axe on each page."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kb.web import create_app

from helpers import needs_browser, serious_accessibility_violations, serve

TODAY = dt.date(2026, 12, 1)

pytestmark = [pytest.mark.browser, needs_browser]


@pytest.fixture(scope="module")
def site(real_build):
    url, stop = serve(create_app({"BUILD_DIR": str(real_build), "TODAY": TODAY}))
    yield url
    stop()



@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, accept_downloads=True)
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_child_at_risk_on_instagram_takes_two_actions_from_home(site, phone):
    phone.goto(site + "/")
    phone.select_option("#risk-provider", label="Meta (Facebook, Instagram, Messenger, WhatsApp)")  # action 1
    phone.click("#risk-go")  # action 2
    phone.wait_for_url(re.compile(r"/route\?.*urgent=1"))
    first = phone.locator(".step").first
    assert first.get_attribute("data-channel") == "provider-emergency"
    assert "facebook.com/records" in first.inner_text()
    assert "Imminent harm to a child" in first.inner_text()
    box = first.bounding_box()
    assert box is not None and box["y"] < 740 * 1.5, box  # the emergency channel is at the top on a phone
    # the same route names Germany's channels when the child's country is given as well
    phone.goto(site + "/")
    phone.select_option("#risk-provider", value="meta")
    phone.select_option("#risk-country", value="de")
    phone.click("#risk-go")
    phone.wait_for_url(re.compile(r"country=de"))
    text = phone.locator(".stage-emergency").inner_text()
    assert "Bundeskriminalamt" in text and "INTERPOL" in text


def test_subscriber_data_behind_an_ip_at_a_dutch_isp_through_the_route_form(site, phone):
    phone.goto(site + "/route")
    phone.select_option("#r-from", value="de")
    phone.select_option("#r-country", value="nl")
    phone.select_option("#r-data", value="subscriber")
    phone.click(".route-form button[type=submit]")
    phone.wait_for_url(re.compile(r"/route\?.*country=nl"))
    channels = [phone.locator(".step").nth(i).get_attribute("data-channel")
                for i in range(phone.locator(".step").count())]
    assert channels[:3] == ["24-7-network", "eu-preservation-order", "eu-production-order"], channels
    epoc = phone.locator(".step[data-channel=eu-production-order]").inner_text()
    assert "all criminal offences" in epoc and "2026-08-18" in epoc
    assert "Landelijk Parket" in phone.locator(".step").first.inner_text()
    phone.emulate_media(media="print")  # the route prints as its steps, without the form
    assert not phone.locator(".route-form").is_visible() and phone.locator(".step").first.is_visible()
    phone.emulate_media(media="screen")


def test_preservation_draft_is_printed_and_downloaded(site, phone):
    phone.goto(site + "/route?from=fr&provider=meta&data=content")
    phone.locator(".step[data-channel=provider-preservation] .draft-link").click()
    phone.wait_for_url(re.compile(r"/route/draft\?kind=preservation"))
    assert "Nothing is stored or sent" in phone.inner_text("#draft-notice")
    assert "facebook.com/records" in phone.input_value("#f-d_requested")
    phone.fill("#f-d_offence", "Sexual extortion of a 13-year-old (art. 227-22 code pénal)")
    phone.click("#draft-preview")
    phone.wait_for_url(re.compile(r"d_offence="))
    letter = phone.locator(".draft-letter")
    assert "Sexual extortion of a 13-year-old" in letter.inner_text()
    phone.emulate_media(media="print")
    assert not phone.locator(".draft-form").is_visible() and letter.is_visible()
    phone.emulate_media(media="screen")
    assert phone.locator("#draft-print").is_visible()  # JavaScript shows the Print button
    with phone.expect_download() as info:
        phone.click("#draft-txt")
    path = info.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert info.value.suggested_filename == "preservation-request.txt"
    assert "Sexual extortion of a 13-year-old" in text and "Custodian" in text


@pytest.mark.parametrize("path", ["/", "/route", "/route?from=fr&provider=meta&data=content&urgent=1",
                                  "/route?from=zz", "/route/draft?kind=preservation&from=de&country=nl&data=subscriber",
                                  "/route/draft?kind=emergency&provider=meta", "/countries/de", "/providers/meta"])
def test_route_pages_have_no_serious_accessibility_violations(site, browser, path):
    bad = serious_accessibility_violations(browser, site + path)
    assert not bad, bad


@pytest.mark.parametrize("path", ["/", "/route", "/route?from=zz", "/route?from=de&country=nl&data=subscriber",
                                  "/route/draft?kind=preservation&provider=meta"])
def test_route_pages_fit_a_phone(site, phone, path):
    phone.goto(site + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380
