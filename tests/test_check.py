"""The check reports every problem with its path, line and a helpful message."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kb.schema import check

TODAY = dt.date(2026, 11, 28)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for i, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in text")


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


# Each case: (id, file, old, new, line marker or line number, message regex)
DE = "countries/de.md"
PROV = "providers/example-mail.md"
SRC = "sources/fixture.yaml"
CASES = [
    ("unknown-top-key", DE, "region: Europe", "region: Europe\ncentrl_authority: x", "centrl_authority",
     r"unknown field — did you mean 'central_authority'"),
    ("unknown-nested-key", DE, "  address: Adenauerallee", "  adress: Adenauerallee", "adress",
     r"central_authority\.adress: unknown field — did you mean 'address'"),
    ("missing-required", DE, "name: Germany\n", "", 2, r"the required field 'name' is missing"),
    ("code-mismatch", DE, "code: DE", "code: FR", "code: FR", r"'FR' does not match the file name 'de\.md'"),
    ("code-read-as-boolean", DE, "code: DE", "code: NO", "code: NO", r"YAML read this value as false.*quote it"),
    ("code-lowercase", DE, "code: DE", "code: de", "code: de", r"expected upper case"),
    ("bad-region", DE, "region: Europe", "region: Europa", "region: Europa", r"'Europa' is not a known region — did you mean 'Europe'"),
    ("bad-membership", DE, "[EU, CoE, G7]", "[EU, CoE, G8]", "memberships", r"'G8' is not a known membership"),
    ("bad-budapest-status", DE, "status: party", "status: partyy", "status: partyy", r"did you mean 'party'"),
    ("bad-date", DE, "signed: 2001-11-23", "signed: 2001-13-45", "signed:", r"expected an ISO date YYYY-MM-DD, received '2001-13-45'"),
    ("future-date", DE, "reviewed: 2026-11-01", "reviewed: 2030-01-01", "reviewed:", r"2030-01-01 is in the future"),
    ("unknown-source-id", DE, "  source: fx-law", "  source: fx-nope", "fx-nope", r"cites the unknown source 'fx-nope'"),
    ("fact-without-source", DE, "  max_days: 90\n  source: fx-law\n", "  max_days: 90\n", "legal_basis",
     r"this fact names no source"),
    ("bad-phone", DE, '"+49 228 99410 40"', '"+49 12"', "+49 12", r"not a valid international phone number"),
    ("phone-without-plus", DE, '"+49 228 99410 40"', '"0228 9941040"', "0228", r"starting with '\+'"),
    ("bad-email", DE, "example@bfj.example.org", "example(at)bfj", "example(at)", r"expected an e-mail address"),
    ("bad-url", PROV, "url: https://provider.example.com/le", "url: ftp//provider", "ftp//", r"expected an http\(s\) address"),
    ("not-a-number", DE, "max_days: 90", "max_days: ninety", "ninety", r"expected a whole number"),
    ("expected-list", DE, "aliases: [Deutschland, German, Allemagne]", "aliases: Deutschland", "aliases:", r"expected a list"),
    ("duplicate-key", DE, "name: Germany", "name: Germany\nname: Deutschland", "name: Deutschland", r"this key is given twice"),
    ("unknown-heading", DE, "## Preservation", "## Preservaton", "## Preservaton", r"unknown section heading 'Preservaton' — did you mean 'Preservation'"),
    ("repeated-heading", DE, "## Notes", "## data retention\n\nAgain.\n\n## Notes", "## data retention", r"appears twice"),
    ("missing-section", DE, "## Notes\n\nNot yet curated.\n", "", lambda text: line_of(text, "## Central authority") - 1, r"the section 'Notes' is missing"),
    ("empty-section", DE, "## Notes\n\nNot yet curated.\n", "## Notes\n", "## Notes", r"the section 'Notes' is empty"),
    ("link-missing-entry", DE, "(/countries/nl#central-authority)", "(/countries/fr)", "/countries/fr", r"names an entry that does not exist"),
    ("link-missing-section", DE, "(/countries/nl#central-authority)", "(/countries/nl#preservaton)", "preservaton",
     r"names a section that does not exist .* did you mean 'preservation'"),
    ("link-nowhere", DE, "(/countries/nl#central-authority)", "(/nowhere/x)", "/nowhere/x", r"points nowhere on this site"),
    ("unknown-citation", DE, "[@fx-law].", "[@fx-lawz].", "fx-lawz", r"cites the unknown source 'fx-lawz' — did you mean 'fx-law'"),
    ("phone-without-citation", DE, "The contact sits in the restricted directory [@fx-treaty].",
     "Call +49 611 55 0 today.", "Call +49", r"gives a phone number .* without citing a source"),
    ("period-without-citation", DE, "Data can be frozen for 90 days [@fx-law].", "Data can be frozen for 90 days.",
     "frozen for 90 days", r"gives a period \('90 days'\) without citing"),
    ("email-without-citation", DE, "Use the 24/7 point of contact [@fx-treaty].", "Write to desk@police.example.org.",
     "desk@", r"gives an e-mail address"),
    ("missing-topic", DE, "related: [mla]", "related: [mla, cloud-act]", "related:", r"no topic 'cloud-act'"),
    ("entity-country", PROV, "country: DE", "country: UK", "country: UK", r"'UK' is not an ISO 3166-1 alpha-2 code"),
    ("entity-role", PROV, "role: parent", "role: mother", "role: mother", r"'mother' is not a known entity role"),
    ("group-not-mapping", DE, "contact_24_7:\n  name: Bundeskriminalamt\n  access: restricted\n  source: fx-treaty",
     "contact_24_7: Bundeskriminalamt", "contact_24_7:", r"expected a group of fields"),
    ("yaml-syntax", DE, "region: Europe", "region: Europe: West", "region: Europe", r"the YAML cannot be read"),
    ("source-missing-accessed", SRC, "  accessed: 2026-11-01\n  published: \"2006\"", "  published: \"2006\"", "fx-treaty:",
     r"fx-treaty: the required field 'accessed' is missing"),
    ("source-bad-id", SRC, "fx-old:", "FX Old:", "FX Old:", r"lower-case letters"),
    ("source-bad-url", SRC, "url: https://law.example.org/ccp", "url: law.example.org", "law.example.org", r"fx-law\.url: expected an http\(s\) address"),
    ("source-proxied-url", SRC, "url: https://law.example.org/ccp", "url: https://1.2.3.4:443/https/law.example.org/ccp",
     "1.2.3.4", r"looks like a proxied or mangled address"),
    ("source-unknown-field", SRC, "  publisher: Example Treaty Office", "  publsher: Example Treaty Office", "publsher",
     r"unknown field — did you mean 'publisher'"),
    ("source-never-cited", SRC, "fx-old:", "fx-unused:\n  title: Unused\n  url: https://x.example.org\n  accessed: 2026-11-01\n\nfx-old:",
     "fx-unused:", r"this source is never cited"),
    ("topic-no-sections", "topics/mla.md", "## How it works\n\nA request goes from one central authority to another [@fx-treaty].\n\n## Time frames\n\nRequests often take months [@fx-treaty].",
     "Requests go between central authorities [@fx-treaty].", lambda text: line_of(text, "reviewed") + 2, r"the topic has no '## ' section"),
]


def find(problems, path, line, pattern):
    for p in problems:
        if p.path == path and p.line == line and re.search(pattern, str(p)):
            return p
    return None


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_check_reports_broken_input_with_path_line_and_message(content_dir, case):
    _, rel, old, new, marker, pattern = case
    text = edit(content_dir / rel, old, new)
    if callable(marker):
        line = marker(text)
    else:
        line = marker if isinstance(marker, int) else line_of(text, marker)
    problems = check(content_dir, today=TODAY).problems
    assert find(problems, rel, line, pattern), "\n".join(map(str, problems)) or "no problem reported"


@pytest.mark.parametrize("raw, pattern", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "this is a binary file"),
    (b"---\ncode: FR\nname: Fran\xe7e\n---\n", r"not valid UTF-8"),
    (b"code: FR\nname: France\n", "does not start with '---'"),
    (b"---\ncode: FR\nname: France\n", "the front matter is never closed"),
    (b"---\n- a\n- b\n---\n", "expected a mapping of field: value, received a list"),
    (b"---\n---\n## Notes\n", "the front matter is empty"),
])
def test_check_never_crashes_on_unreadable_files(content_dir, raw, pattern):
    (content_dir / "countries" / "fr.md").write_bytes(raw)
    problems = check(content_dir, today=TODAY).problems
    mine = [p for p in problems if p.path == "countries/fr.md"]
    assert mine and re.search(pattern, str(mine[0])), "\n".join(map(str, problems))


def test_check_reports_non_markdown_file(content_dir):
    (content_dir / "countries" / "notes.txt").write_text("hello")
    problems = check(content_dir, today=TODAY).problems
    assert find(problems, "countries/notes.txt", 1, r"is not a Markdown entry")


def test_check_reports_invalid_country_code_file(content_dir):
    text = (content_dir / "countries" / "de.md").read_text().replace("code: DE", "code: ZZ")
    (content_dir / "countries" / "zz.md").write_text(text)
    problems = check(content_dir, today=TODAY).problems
    assert find(problems, "countries/zz.md", 2, r"'ZZ' is not an ISO 3166-1 alpha-2 code")


def test_check_accepts_kosovo(content_dir):
    text = (content_dir / "countries" / "nl.md").read_text().replace("code: NL", "code: XK")
    (content_dir / "countries" / "xk.md").write_text(text)
    problems = check(content_dir, today=TODAY).problems
    assert not [p for p in problems if p.path == "countries/xk.md"], problems


def test_check_reports_duplicate_source_ids_across_files(content_dir):
    (content_dir / "sources" / "more.yaml").write_text(
        "fx-law:\n  title: Again\n  url: https://x.example.org\n  accessed: 2026-11-01\n")
    problems = check(content_dir, today=TODAY).problems
    assert find(problems, "sources/more.yaml", 1, r"already used in sources/fixture\.yaml:\d+")


def test_check_reports_every_problem_not_only_the_first(content_dir):
    path = content_dir / "countries" / "de.md"
    edit(path, "region: Europe", "region: Mars")
    edit(path, "status: party", "status: maybe")
    edit(path, "## Notes", "## Nots")
    problems = [p for p in check(content_dir, today=TODAY).problems if p.path == "countries/de.md"]
    assert len(problems) >= 4  # region, status, unknown heading, missing Notes


def test_check_is_clean_on_fixture(content_dir):
    assert check(content_dir, today=TODAY).problems == []


def test_problem_text_says_where_what_and_how(content_dir):
    edit(content_dir / "countries" / "de.md", "region: Europe", "region: Europa")
    p = [p for p in check(content_dir, today=TODAY).problems][0]
    assert str(p) == "countries/de.md:6: region: 'Europa' is not a known region — did you mean 'Europe'?"


def test_check_never_raises_on_mutated_content(content_dir):
    """Random line deletions, duplications and garbage in every file: problems, never exceptions."""
    import random

    rng = random.Random(1234)
    files = sorted(p for p in content_dir.rglob("*") if p.is_file())
    originals = {p: p.read_text(encoding="utf-8") for p in files}
    junk = ["", "---", ":", "- [", "{", "'", "## ", "## Notes", "source: [", "  - x: y", "\t", "é\x85", "[@", "](/x#",
            "phone: +1", "max_days: -3", "reviewed: 2999-01-01", "code: ", "? x", "&a *a", "!!python/object:os.system"]
    for _ in range(150):
        path = rng.choice(files)
        lines = originals[path].split("\n")
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(lines))
            action = rng.choice(("delete", "duplicate", "junk", "indent"))
            if action == "delete" and len(lines) > 1:
                del lines[i]
            elif action == "duplicate":
                lines.insert(i, lines[i])
            elif action == "junk":
                lines.insert(i, rng.choice(junk))
            else:
                lines[i] = "  " + lines[i]
        path.write_text("\n".join(lines), encoding="utf-8")
        check(content_dir, today=TODAY)  # must not raise
        path.write_text(originals[path], encoding="utf-8")


def test_membership_items_each_carry_their_own_source(content_dir):
    edit(content_dir / "countries" / "de.md", "memberships: {value: [EU, CoE, G7], source: fx-treaty}",
         "memberships: [{value: EU, source: fx-law}, {value: CoE, source: fx-treaty}]")
    checked = check(content_dir, today=TODAY)
    assert not [p for p in checked.problems if p.path == "countries/de.md"], "\n".join(map(str, checked.problems))
    facts = {f.field: f for f in checked.facts if f.key == "de" and f.field.startswith("memberships")}
    assert (facts["memberships.0"].value, facts["memberships.0"].sources) == ("EU", ["fx-law"])
    assert (facts["memberships.1"].value, facts["memberships.1"].sources) == ("CoE", ["fx-treaty"])


def test_membership_item_without_source_is_reported(content_dir):
    text = edit(content_dir / "countries" / "de.md", "memberships: {value: [EU, CoE, G7], source: fx-treaty}",
                "memberships: [{value: EU, source: fx-law}, CoE]")
    problems = check(content_dir, today=TODAY).problems
    assert find(problems, "countries/de.md", line_of(text, "memberships"), r"memberships\.1: this item names no source")
