"""Markdown to safe HTML: citations become numbered links, raw HTML is sanitised with nh3.

Content HTML is sanitised first (no class, no id: see `kb.htmlpolicy`); the citation links are
put in afterwards, so raw HTML can neither forge a citation nor take one of the page's ids.
"""
from __future__ import annotations

import html
import re
import secrets

import nh3

from kb.htmlpolicy import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, MD_EXTENSIONS, URL_SCHEMES, markdown_html
from kb.schema import CITE_ID_RE, CITE_RE

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "MD_EXTENSIONS", "URL_SCHEMES", "cite_html", "plain_text",
           "render", "sanitise"]


PLACEHOLDER_RE = re.compile(r"kbcite([0-9a-f]{16})n(\d+)x")


def cite_html(ids: list[str], numbers: dict[str, int], titles: dict[str, str]) -> str:
    links = []
    for sid in ids:
        n = numbers.setdefault(sid, len(numbers) + 1)
        title = html.escape(titles.get(sid, sid), quote=True)
        links.append(f'<a class="cite" href="#src-{html.escape(sid, quote=True)}" title="{title}">{n}</a>')
    return '<sup class="cite">[' + ", ".join(links) + "]</sup>"


def render(text: str, numbers: dict[str, int], titles: dict[str, str]) -> str:
    """Render one section. `numbers` maps source ids to citation numbers for the whole entry
    and grows as new sources are cited."""
    placeholders: list[str] = []
    nonce = secrets.token_hex(8)  # content cannot guess it, so cannot smuggle a placeholder in

    def keep(m: re.Match) -> str:
        placeholders.append(cite_html(CITE_ID_RE.findall(m.group(0)), numbers, titles))
        return f"kbcite{nonce}n{len(placeholders) - 1}x"

    md = CITE_RE.sub(keep, text)
    out = sanitise(markdown_html(md))
    # one compiled pattern for every nonce (a pattern per nonce would be compiled on every call)
    return PLACEHOLDER_RE.sub(lambda m: placeholders[int(m.group(2))] if m.group(1) == nonce else m.group(0), out)


def sanitise(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


def plain_text(text: str) -> str:
    """Text for the search index and snippets: no citations, no Markdown markup, no HTML."""
    text = re.sub(r"\s*" + CITE_RE.pattern, "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links -> their text
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[*_`#>|]+", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
