from kb.cli import cli

cli(prog_name="python -m kb")
