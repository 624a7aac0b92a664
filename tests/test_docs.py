"""Generated docs (field reference, command table) match the code, as sqlite-utils checks its cog blocks."""
from __future__ import annotations

from kb import docs
from kb.cli import cli


def test_generated_docs_are_up_to_date():
    assert docs.stale() == [], "run `python -m kb docs` and commit the result"


def test_command_table_lists_every_command_with_its_options():
    table = docs.command_table(cli)
    for name, cmd in cli.commands.items():
        assert f"`python -m kb {name}" in table
        for p in cmd.params:
            if getattr(p, "opts", None) and p.opts[0].startswith("--") and not getattr(p, "hidden", False):
                assert p.opts[0] in table


def test_field_reference_names_every_declared_field():
    from kb.fields import all_field_names

    text = docs.field_reference()
    for dotted in all_field_names():
        assert f"{dotted.split('.')[-1]}:" in text


def test_docs_check_command_says_what_to_run(runner):
    result = runner.invoke(cli, ["docs", "--check"])
    assert result.exit_code == 0 and "up to date" in result.output
