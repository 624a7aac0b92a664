"""The fixed pages are declared once (kb/site.py) and the navigation, export and checker follow."""
from __future__ import annotations

import re

from kb import site
from kb.schema import check

from helpers import TODAY

DOWNLOAD = re.compile(r"\.(csv|xlsx|json|txt|docx|atom|pdf|ico)$")


def served_pages(app) -> set[str]:
    """Every GET page of the app without URL arguments, downloads and the API aside."""
    return {r.rule for r in app.url_map.iter_rules()
            if "GET" in r.methods and not r.arguments and not r.rule.startswith("/api")
            and not DOWNLOAD.search(r.rule)}


def test_every_page_the_app_serves_is_declared_in_site_pages(app):
    undeclared = served_pages(app) - set(site.BY_PATH)
    assert not undeclared, f"pages served but not declared: {sorted(undeclared)}; add a Page to kb/site.py PAGES"


def test_every_declared_page_is_served_by_its_endpoint(app, client):
    adapter = app.url_map.bind("localhost")
    for page in site.PAGES:
        endpoint, _ = adapter.match(page.path)
        assert endpoint == page.endpoint, f"{page.path} is served by {endpoint}, declared {page.endpoint}"
        resp = client.get(page.path, follow_redirects=True)
        assert resp.status_code in (200, 400), f"{page.path} answered {resp.status_code}"


def test_navigation_lists_the_declared_nav_pages_in_order(client):
    html = client.get("/about").get_data(as_text=True)
    nav = html.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    labels = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)
    assert labels == [(p.path, p.label) for p in site.NAV]


def test_check_accepts_links_to_declared_pages_and_names_the_list_for_others(content_dir):
    de = content_dir / "countries" / "de.md"
    text = de.read_text(encoding="utf-8")
    text = text.replace("## Notes\n", "## Notes\n\nPlan it on [the route planner](/route?country=de) or "
                        "[print cards](/cards).\n\nSee [nowhere](/nowhere/page).\n", 1)
    de.write_text(text, encoding="utf-8")
    problems = [p for p in check(content_dir, today=TODAY).problems if "link" in p.message]
    assert [p.message for p in problems] == ["the link '/nowhere/page' points nowhere on this site"]
    assert "kb/site.py" in problems[0].hint
