"""What raw HTML in content survives the sanitiser, declared once, and what it would drop.

`kb.render` sanitises with these lists (nh3); `kb.schema` calls `dropped_html` so that the check
says, with file:line, which tag, attribute or link a page would silently lose. Content gets no
`class` (citation markup is the build's own) and no `id` (ids belong to the page: main, q, src-*).
"""
from __future__ import annotations

import re
import threading
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown

ALLOWED_TAGS = {
    "p", "br", "hr", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "abbr", "del",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "data", "formaction", "poster"}
MD_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]

_converters = threading.local()


def markdown_html(text: str) -> str:
    """Markdown to (unsanitised) HTML with one reused converter per thread: building a
    `markdown.Markdown` loads its extensions and parsers, about 40% (cProfile, 1,000 entries) of
    the rendering time. `reset()` clears what a conversion leaves behind (reference links)."""
    md = getattr(_converters, "md", None)
    if md is None:
        md = _converters.md = markdown.Markdown(extensions=MD_EXTENSIONS, output_format="html")
    return md.reset().convert(text)
ALWAYS = {"rel"}  # nh3 sets rel on links itself


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (what, tag, attribute or scheme)

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.found.append((f"<{tag}>", tag, ""))
            return
        for name, value in attrs:
            if name in ALWAYS:
                continue
            if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                self.found.append((f"the {name} attribute of <{tag}>", tag, name))
            elif name in URL_ATTRIBUTES and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in URL_SCHEMES:
                    self.found.append((f"the {scheme}: link", tag, scheme + ":"))

    handle_startendtag = handle_starttag

    def handle_decl(self, decl):
        self.found.append(("a declaration <!...>", "", ""))

    def handle_pi(self, data):
        self.found.append(("a processing instruction <?...>", "", ""))


def blocks(text: str):
    """(offset, text) of each block between blank lines; a fenced code block stays whole."""
    start, pos, fence = 0, 0, ""
    for line in text.split("\n") + [""]:
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
        if not stripped and not fence:
            if pos > start:
                yield start, text[start:pos]
            start = pos + len(line) + 1
        pos += len(line) + 1


def dropped_html(text: str) -> list[tuple[int, str]]:
    """(offset in `text`, description) of each piece of HTML the sanitiser would remove from
    this Markdown. HTML inside code is text and is not reported."""
    out = []
    for offset, block in blocks(text):
        out += [(offset + o, what) for o, what in _dropped_in_block(block)]
    return out


def _dropped_in_block(text: str) -> list[tuple[int, str]]:
    if "<" not in text and "](" not in text and "]:" not in text:
        return []
    finder = _Finder()
    finder.feed(markdown_html(text))
    finder.close()
    out, pos = [], 0
    for what, tag, needle in finder.found:
        raw = re.compile(rf"<\s*{re.escape(tag)}\b", re.I).search(text, pos) if tag else None
        if raw is None and not needle.endswith(":"):
            if needle:  # an attribute Markdown itself wrote (class="language-x", style="text-align")
                continue
            out.append((pos, what))  # a tag Markdown wrote and the sanitiser drops (![image](...))
            continue
        start = raw.start() if raw else pos
        hit = re.compile(re.escape(needle), re.I).search(text, start) if needle else None
        offset = hit.start() if hit else start
        if (offset, what) not in out:
            out.append((offset, what))
        pos = start
    return out
