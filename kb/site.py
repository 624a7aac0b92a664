"""The site's fixed pages, declared once: path, endpoint, label, navigation, static export.

The navigation (base.html), the static export (`kb export`) and the checker (a content link
must point at an entry or at one of these pages) read `PAGES`; a test fails when the app serves a
page that is not declared here. A new page = its view, its template and one `Page` here.
"""
from __future__ import annotations

from dataclasses import dataclass

from kb.facets import filters
from kb.kinds import KINDS


@dataclass(frozen=True)
class Page:
    path: str  # the URL, without query
    endpoint: str  # the Flask endpoint that serves it (blueprint.function)
    label: str  # its name in the navigation and in messages
    help: str
    nav: bool = False  # listed in the main navigation, in this order
    export: str = ""  # file of the static export ("" = not exported as a page of its own)


PAGES: tuple[Page, ...] = (
    Page("/", "pages.home", "Home", "Search first, then the route planner, countries and providers.",
         export="index.html"),
    *(Page(f"/{k.name}", f"entries.{k.name}", k.label,
           f"Every {k.singular}{', with filters,' if filters(k.name) else ''} with an A-Z index.",
           nav=True, export=f"{k.name}.html") for k in KINDS.values()),
    Page("/compare", "compare.compare", "Compare", "Countries side by side, field by field, with exports.",
         nav=True, export="compare.html"),
    Page("/map", "analyst.world_map", "Map", "A world map of one field.", nav=True, export="map.html"),
    Page("/export", "analyst.export", "Data", "The whole knowledge base as SQLite, JSON and CSV.", nav=True),
    Page("/changes", "analyst.changes", "Changes", "What changed, per entry and since a date.", nav=True,
         export="changes.html"),
    Page("/coverage", "pages.coverage", "Coverage", "Which areas each entry has sourced.", nav=True,
         export="coverage.html"),
    Page("/sources", "pages.sources", "Sources", "Every source, who cites it and how old it is (in pages; "
         "?all=1 for one page).", nav=True, export="sources.html"),
    Page("/about", "pages.about", "About", "How the facts are verified; not legal advice.", nav=True,
         export="about.html"),
    Page("/search", "search.search", "Search", "Search every section.", export="search.html"),
    Page("/route", "route.route_page", "Route planner", "Emergency first, then the ordered route."),
    Page("/urgent", "route.urgent_page", "Urgent", "Whom to call now when a child is at risk."),
    Page("/route/draft", "route.draft", "Request draft", "A draft request from a planned route."),
    Page("/cards", "cards.pack", "Print cards", "A pack of one-page cards to print."),
    Page("/review", "review.review", "Review queue", "Facts by the age of their newest source (preview).",
         export="review.html"),
)

BY_PATH = {p.path: p for p in PAGES}
NAV = tuple(p for p in PAGES if p.nav)


def linkable(target: str) -> bool:
    """True if a link in content points at a declared page (the query and #anchor aside)."""
    path = target.split("#")[0].split("?")[0].rstrip("/") or "/"
    return path in BY_PATH
