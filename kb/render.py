"""Markdown to safe HTML: citations become numbered links, raw HTML is sanitised with nh3."""
from __future__ import annotations

import html
import re

import markdown
import nh3

from kb.schema import CITE_ID_RE, CITE_RE

ALLOWED_TAGS = {
    "p", "br", "hr", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "abbr", "del",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "sup": {"class"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "h3": {"id"},
    "h4": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
MD_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


def cite_html(ids: list[str], numbers: dict[str, int], titles: dict[str, str]) -> str:
    links = []
    for sid in ids:
        n = numbers.setdefault(sid, len(numbers) + 1)
        title = html.escape(titles.get(sid, sid), quote=True)
        links.append(f'<a class="cite" href="#src-{sid}" title="{title}">{n}</a>')
    return '<sup class="cite">[' + ", ".join(links) + "]</sup>"


def render(text: str, numbers: dict[str, int], titles: dict[str, str]) -> str:
    """Render one section. `numbers` maps source ids to citation numbers for the whole entry
    and grows as new sources are cited."""
    placeholders: list[str] = []

    def keep(m: re.Match) -> str:
        placeholders.append(cite_html(CITE_ID_RE.findall(m.group(0)), numbers, titles))
        return f"\x00CITE{len(placeholders) - 1}\x00"

    md = CITE_RE.sub(keep, text)
    out = markdown.markdown(md, extensions=MD_EXTENSIONS, output_format="html")
    out = re.sub(r"\x00CITE(\d+)\x00", lambda m: placeholders[int(m.group(1))], out)
    return sanitise(out)


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
