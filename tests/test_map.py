"""The world map: drawn at build time from packaged shapes, coloured by a declared field, with a table
fallback; the browser test checks links, legend, printing and axe."""
from __future__ import annotations

import json
import re

import pytest

from kb import mapsvg

from helpers import TODAY, needs_browser, serious_accessibility_violations, serve


def endpoints(d: str):
    """Absolute end points of a path of relative commands (as the packaged map uses)."""
    x = y = sx = sy = 0.0
    pts = []
    cmd = ""
    tokens = mapsvg.NUMBER.findall(d)
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd == "z":
                x, y = sx, sy
            continue
        n = mapsvg.ARITY[cmd]
        a = [float(t) for t in tokens[i:i + n]]
        i += n
        if cmd in "ml":
            x, y = x + a[0], y + a[1]
            if cmd == "m":
                sx, sy, cmd = x, y, "l"
        elif cmd == "h":
            x += a[0]
        elif cmd == "v":
            y += a[0]
        else:
            x, y = x + a[4], y + a[5]
        pts.append((x, y))
    return pts


def test_rounding_carries_the_error_so_shapes_do_not_drift():
    import xml.etree.ElementTree as ET

    root = ET.parse(mapsvg._shapes_file()).getroot()
    paths = [el.attrib["d"] for el in root.iter(mapsvg.SVG_NS + "path") if "transform" not in el.attrib]
    assert len(paths) > 1000
    worst = 0.0
    for d in paths[::7]:
        before, after = endpoints(d), endpoints(mapsvg.compact_path(d))
        for axis in (0, 1):
            for pick in (min, max):
                worst = max(worst, abs(pick(p[axis] for p in before) - pick(p[axis] for p in after)))
    assert worst <= 0.5 + 1e-6, worst
    assert len(mapsvg.compact_path(paths[0])) < len(paths[0])


def test_build_writes_a_map_per_declared_field(built):
    folder = built / "current" / mapsvg.MAP_DIR
    ids = [m.id for m in mapsvg.map_fields()]
    assert {"budapest", "second_protocol", "retention", "completeness"} <= set(ids)
    for mid in ids:
        svg = (folder / f"{mid}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and 'href="/countries/de"' in svg and 'href="/countries/nl"' in svg
        doc = json.loads((folder / f"{mid}.json").read_text(encoding="utf-8"))
        assert sum(item["count"] for item in doc["legend"]) == 2 and len(doc["rows"]) == 2


def test_map_page_colours_by_the_chosen_field_with_legend_and_table(client):
    html = client.get("/map?field=retention").data.decode()
    assert 'aria-label="Germany: annulled"' in html and 'aria-label="Netherlands: none"' in html
    legend = html[html.index('class="map-legend"'):html.index("</ul>", html.index('class="map-legend"'))]
    assert "annulled</span> (1)" in legend and "in-force</span> (0)" in legend
    table = html[html.index('id="h-map-table"'):]
    assert '<a href="/countries/de">Germany</a></th><td>' in table and "annulled" in table
    assert "<svg" in html and "http://" not in html.split("<svg")[0].split("<main")[0]


def test_map_defaults_to_the_convention_and_rejects_unknown_fields(client):
    assert 'aria-label="Germany: party"' in client.get("/map").data.decode()
    resp = client.get("/map?field=weather")
    assert resp.status_code == 400 and b"must be one of budapest" in resp.data


def test_completeness_map_bins_the_share(client):
    html = client.get("/map?field=completeness").data.decode()
    assert re.search(r'aria-label="Germany: (0-24|25-49|50-74|75-100)"', html)


# -- in a browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from helpers import FIXTURE

    from kb.build import build
    from kb.web import create_app

    out = tmp_path_factory.mktemp("map") / "build"
    build(FIXTURE, out, today=TODAY)
    url, stop = serve(create_app({"BUILD_DIR": str(out), "TODAY": TODAY}))
    yield url
    stop()



@needs_browser
@pytest.mark.browser
def test_map_links_each_country_and_prints_on_one_page(site, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(site + "/map")
    page.select_option("#map-field", "retention")
    page.click("text=Show")
    page.wait_for_url(re.compile(r"field=retention"))
    germany = page.locator('svg.worldmap a[aria-label="Germany: annulled"]')
    box = germany.bounding_box()
    assert box and box["width"] > 5 and box["height"] > 5  # drawn where Germany is, large enough to click
    fill = germany.locator("path").first.evaluate("p => getComputedStyle(p).fill")
    out_fill = page.locator("svg.worldmap g.out path").first.evaluate("p => getComputedStyle(p).fill")
    assert fill != out_fill
    germany.click()
    page.wait_for_url(re.compile(r"/countries/de$"))
    page.goto(site + "/map")
    page.emulate_media(media="print")
    assert page.locator(".map-table").is_hidden() and page.locator("svg.worldmap").is_visible()
    pdf = page.pdf(format="A4", landscape=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.close()


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("path", ["/map?field=retention"])
def test_map_has_no_serious_accessibility_violations(site, browser, path):
    bad = serious_accessibility_violations(browser, site + path)
    assert not bad, bad
