"""The build renders Markdown with one reused converter per thread (kb.htmlpolicy.markdown_html):
the HTML must be exactly what a fresh converter gives, and nothing may carry over between sections."""
from __future__ import annotations

import threading
from pathlib import Path

import markdown

from kb.htmlpolicy import MD_EXTENSIONS, markdown_html
from kb.render import render

CONTENT = Path(__file__).resolve().parent.parent / "content"


def fresh(text: str) -> str:
    return markdown.markdown(text, extensions=MD_EXTENSIONS, output_format="html")


def test_reused_converter_gives_the_html_of_a_fresh_one_for_every_real_entry():
    files = sorted(CONTENT.glob("*/*.md"))
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert markdown_html(text) == fresh(text), path


def test_reference_link_defined_in_one_section_does_not_link_in_the_next():
    first = render("See [the guide][g].\n\n[g]: https://example.org/guide\n", {}, {})
    assert 'href="https://example.org/guide"' in first
    second = render("See [the guide][g].\n", {}, {})
    assert "href" not in second
    assert "[the guide][g]" in second


def test_sections_rendered_in_parallel_threads_match_a_fresh_converter():
    texts = [f"| a | b |\n|---|---|\n| {i} | x |\n\n```\ncode {i}\n```\n\n1. one\n2. two\n" for i in range(40)]
    results: dict[int, str] = {}

    def work(i):
        results[i] = markdown_html(texts[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: fresh(t) for i, t in enumerate(texts)}
