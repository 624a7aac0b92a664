"""The CLI: exit codes, messages, skeletons, and documentation that cannot drift."""
from __future__ import annotations

import re
from pathlib import Path

from kb.cli import cli
from kb.fields import all_field_names
from kb.schema import check

ROOT = Path(__file__).parent.parent


def test_check_exits_0_with_summary_on_clean_content(runner, content_dir):
    result = runner.invoke(cli, ["check", "--content", str(content_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 2 countries, 1 providers, 1 topics, 4 sources")


def test_check_exits_1_and_lists_every_problem(runner, content_dir):
    de = content_dir / "countries" / "de.md"
    de.write_text(de.read_text().replace("region: Europe", "region: Europa").replace("## Notes", "## Nots"))
    result = runner.invoke(cli, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1
    assert "countries/de.md:6: region: 'Europa' is not a known region — did you mean 'Europe'?" in result.output
    assert re.search(r"countries/de\.md:\d+: section: unknown section heading 'Nots'", result.output)
    assert "problem(s)" in result.output and "Traceback" not in result.output


def test_check_reports_missing_content_folder_as_a_sentence(runner, tmp_path):
    result = runner.invoke(cli, ["check", "--content", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "the content folder does not exist" in result.output


def test_build_then_unchanged_then_broken(runner, content_dir, tmp_path):
    out = tmp_path / "out"
    first = runner.invoke(cli, ["build", "--content", str(content_dir), "--out", str(out)])
    assert first.exit_code == 0 and "It is now current" in first.output
    again = runner.invoke(cli, ["build", "--content", str(content_dir), "--out", str(out)])
    assert again.exit_code == 0 and "Nothing changed" in again.output
    (content_dir / "countries" / "nl.md").write_bytes(b"\x00\x01")
    broken = runner.invoke(cli, ["build", "--content", str(content_dir), "--out", str(out)])
    assert broken.exit_code == 1
    assert "countries/nl.md:1: file: this is a binary file" in broken.output
    assert "the previous build is still current" in broken.output


def test_new_country_writes_a_skeleton_that_passes_the_check(runner, content_dir):
    result = runner.invoke(cli, ["new", "country", "fr", "--content", str(content_dir)])
    assert result.exit_code == 0, result.output
    text = (content_dir / "countries" / "fr.md").read_text()
    assert 'code: "FR"' in text and "name: France" in text
    for heading in ("Central authority", "24/7 contact point", "Legal process for ISPs", "Preservation",
                    "Data retention", "Emergency channels", "Notes"):
        assert f"## {heading}\n\nNot yet curated." in text
    assert [p for p in check(content_dir).problems if p.path == "countries/fr.md"] == []


def test_new_country_quotes_codes_that_yaml_would_read_as_booleans(runner, content_dir):
    assert runner.invoke(cli, ["new", "country", "no", "--content", str(content_dir)]).exit_code == 0
    assert 'code: "NO"' in (content_dir / "countries" / "no.md").read_text()
    assert [p for p in check(content_dir).problems if p.path == "countries/no.md"] == []


def test_new_refuses_bad_code_and_existing_file(runner, content_dir):
    bad = runner.invoke(cli, ["new", "country", "zz", "--content", str(content_dir)])
    assert bad.exit_code == 1 and "is not an ISO 3166-1 alpha-2 code" in bad.output
    exists = runner.invoke(cli, ["new", "country", "de", "--content", str(content_dir)])
    assert exists.exit_code == 1 and "already exists" in exists.output


def test_new_provider_and_topic_skeletons_pass_the_check(runner, content_dir):
    assert runner.invoke(cli, ["new", "provider", "acme-cloud", "--content", str(content_dir)]).exit_code == 0
    assert runner.invoke(cli, ["new", "topic", "glossary", "--content", str(content_dir)]).exit_code == 0
    assert check(content_dir).problems == []


def test_stale_lists_entries_reviewed_long_ago(runner, content_dir):
    nl = content_dir / "countries" / "nl.md"
    nl.write_text(nl.read_text().replace("reviewed: 2026-11-01", "reviewed: 2020-01-01"))
    result = runner.invoke(cli, ["stale", "--older-than", "365", "--content", str(content_dir)])
    assert result.exit_code == 0
    assert "countries/nl.md: reviewed 2020-01-01" in result.output
    assert "countries/de.md" not in result.output
    assert "1 of 4 entries reviewed more than 365 days ago." in result.output


def test_every_command_has_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name, command in cli.commands.items():
        assert "Example:" in (command.help or ""), f"`{name}` has no example in its docstring"
        assert f"python -m kb {name}" in readme, f"`python -m kb {name}` is not documented in README.md"


def test_every_content_field_is_documented():
    doc = (ROOT / "docs" / "content-format.md").read_text()
    missing = [f for f in sorted(all_field_names()) if not re.search(rf"\b{re.escape(f.split('.')[-1])}:", doc)]
    assert not missing, f"fields missing from docs/content-format.md: {missing}"


def test_fields_command_lists_vocabularies(runner):
    result = runner.invoke(cli, ["fields"])
    assert result.exit_code == 0
    assert ("status: vocab [filter ?budapest=, search facet] - Where the country stands. "
            "(one of: party, signatory, invited, none)") in result.output
    assert "second_protocol: group" in result.output and "status: vocab [filter ?second_protocol=] -" in result.output


def test_real_content_passes_the_check():
    problems = check(ROOT / "content").problems
    assert problems == [], "\n".join(map(str, problems[:20]))
