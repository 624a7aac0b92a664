"""PDF of print cards with WeasyPrint (Debian's pango and fonts); nothing is fetched from the network:
the only resources a card loads are this site's own stylesheets, read from the package."""
from __future__ import annotations

import logging
from pathlib import Path

STATIC = Path(__file__).parent / "static"


def render_pdf(html: str, base_url: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        """Serves /static/ files from disk; refuses every other address (no network)."""

        def fetch(self, url, headers=None):
            path = url.split("?", 1)[0]
            marker = "/static/"
            if url.startswith(base_url) and marker in path:
                name = path.split(marker, 1)[1]
                file = (STATIC / name).resolve()
                if file.is_file() and STATIC.resolve() in file.parents:
                    mime = "text/css" if file.suffix == ".css" else "image/svg+xml" if file.suffix == ".svg" \
                        else "application/octet-stream"
                    return URLFetcherResponse(url, body=file.read_bytes(), headers={"Content-Type": mime})
            raise ValueError(f"not fetched (cards use no network): {url[:80]}")

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused scripts and icons are expected
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnly()).write_pdf()
