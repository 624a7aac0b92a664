"""Command line: a thin click layer over the library modules.

Library errors become `click.ClickException` here and nowhere else.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kb.kinds import KINDS
from kb.problems import BuildError, ContentError

DEFAULT_CONTENT = Path(__file__).resolve().parent.parent / "content"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "build"

content_option = click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path),
                              default=DEFAULT_CONTENT, show_default="content/", help="Folder with the entries.")
out_option = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                          default=DEFAULT_OUT, show_default="build/", help="Folder that holds the builds.")


@click.group()
@click.version_option(package_name=None, version=__import__("kb").__version__)
def cli():
    """Legal channels across borders: check, build and serve the knowledge base."""


@cli.command()
@content_option
def check(content_dir):
    """Check every entry and source; report each problem as path:line: field: message.

    Example:

        python -m kb check

        python -m kb check --content tests/fixtures/content
    """
    from kb.schema import check as run_check

    checked = run_check(content_dir)
    for p in sorted(checked.problems):
        click.echo(str(p))
    counts = _counts(checked)
    if checked.problems:
        raise click.ClickException(f"{len(checked.problems)} problem(s) in {counts}; nothing was changed.")
    click.echo(f"OK: {counts}, {len(checked.facts)} sourced facts, no problems.")


def _counts(checked) -> str:
    by = {k: sum(1 for e in checked.entries if e.kind == k) for k in KINDS}
    return ", ".join(f"{n} {k}" for k, n in by.items()) + f", {len(checked.sources)} sources"


@cli.command()
@content_option
@out_option
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
def build(content_dir, out_dir, force):
    """Check, then build SQLite + search index and publish it atomically.

    With any problem nothing is published and the previous build keeps serving.

    Example:

        python -m kb build

        python -m kb build --content content --out build --force
    """
    from kb.build import build as run_build

    try:
        result = run_build(content_dir, out_dir, force=force, progress=_progress())
    except ContentError as exc:
        for p in exc.problems:
            click.echo(str(p))
        raise click.ClickException(f"{len(exc.problems)} problem(s); nothing was published, the previous "
                                   "build is still current.") from None
    except BuildError as exc:  # read-only folder, full disk: the sentence says what to do
        raise click.ClickException(str(exc)) from None
    click.echo(result.summary())


def _progress():
    import sys

    if not sys.stderr.isatty():
        return None

    def show(step: str, done: int, total: int):
        click.echo(f"\r{step}: {done}/{total}", nl=done >= total, err=True)

    return show


@cli.command()
@click.argument("kind", type=click.Choice([k.singular for k in KINDS.values()]))
@click.argument("key")
@content_option
def new(kind, key, content_dir):
    """Write a skeleton entry with every heading marked 'Not yet curated'.

    Example:

        python -m kb new country XK

        python -m kb new provider example-cloud
    """
    from kb.schema import SLUG_RE, is_country_code
    from kb.skeleton import skeleton

    declared = next(k for k in KINDS.values() if k.singular == kind)
    if declared.id_field == "code" and not is_country_code(key):
        raise click.ClickException(f"'{key}' is not an ISO 3166-1 alpha-2 code; use two letters, e.g. DE "
                                   "(XK for Kosovo).")
    if declared.id_field != "code" and not SLUG_RE.match(key):
        raise click.ClickException(f"'{key}' is not a valid slug; use lower-case letters, digits and hyphens.")
    path = content_dir / declared.name / f"{key.lower()}.md"
    if path.exists():
        raise click.ClickException(f"{path} already exists; edit it instead.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(kind, key), encoding="utf-8")
    click.echo(f"Wrote {path}; fill in the sections, cite sources, then run `python -m kb check`.")


@cli.command()
@click.option("--older-than", "days", type=click.IntRange(min=0), default=365, show_default=True,
              help="List entries reviewed more than this many days ago.")
@content_option
def stale(days, content_dir):
    """List entries whose `reviewed` date is older than DAYS, oldest first.

    Example:

        python -m kb stale --older-than 180
    """
    from kb.schema import check as run_check

    checked = run_check(content_dir)
    today = dt.date.today()
    rows = []
    for e in checked.entries:
        reviewed = e.front.get("reviewed")
        if isinstance(reviewed, dt.date):
            age = (today - reviewed).days
            if age > days:
                rows.append((age, e.path, reviewed.isoformat()))
        else:
            rows.append((10**6, e.path, "never"))
    for age, path, reviewed in sorted(rows, reverse=True):
        click.echo(f"{path}: reviewed {reviewed}" + ("" if reviewed == "never" else f" ({age} days ago)"))
    click.echo(f"{len(rows)} of {len(checked.entries)} entries reviewed more than {days} days ago.")


@cli.command()
@click.option("--limit", type=click.IntRange(min=1), default=30, show_default=True, help="How many facts to list.")
@click.option("--contacts-only", is_flag=True, help="Only contact details (names, addresses, phones, e-mails...).")
@content_option
def review(limit, contacts_only, content_dir):
    """List the facts to re-check first: contacts first, then by the age of their newest source.

    Undated evidence comes first (nobody knows how old it is), then the oldest source date.
    The site shows the same queue at /review.

    Example:

        python -m kb review --limit 20 --contacts-only
    """
    from kb.review import queue
    from kb.schema import check as run_check

    checked = run_check(content_dir)
    facts = [{"kind": f.kind, "key": f.key, "field": f.field, "value": f.value, "sources": f.sources,
              "as_of": f.as_of, "line": f.line} for f in checked.facts]
    paths = {(e.kind, e.key): e.path for e in checked.entries}
    items = queue(facts, checked.sources, dt.date.today(), contacts_only=contacts_only, limit=limit)
    for i in items:
        age = "undated" if not i.date else f"source dated {i.date}"
        where = f"{paths.get((i.kind, i.key), i.key)}:{i.line}"
        click.echo(f"{where}: {i.field} = {i.value[:60]} ({age}; {i.source_id or 'no source'} {i.source_url})")
    click.echo(f"{len(items)} fact(s) listed, oldest evidence first.")


@cli.command()
def fields():
    """Print every field an entry may hold, with its help and vocabulary.

    Example:

        python -m kb fields
    """
    from kb.docs import field_reference

    click.echo(field_reference())


@cli.command()
@click.option("--check", "check_only", is_flag=True, help="Only report generated docs that are out of date.")
def docs(check_only):
    """Regenerate the field reference in docs/content-format.md and the README's command table.

    Example:

        python -m kb docs --check
    """
    from kb.docs import stale, write

    if check_only:
        out = stale()
        if out:
            raise click.ClickException("out of date: " + ", ".join(p.name for p in out) + " — run `python -m kb docs`")
        click.echo("Generated docs are up to date.")
        return
    changed = write()
    click.echo("Rewrote " + ", ".join(p.name for p in changed) if changed else "Generated docs were up to date.")


@cli.command()
@content_option
@out_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="gunicorn worker processes (about one per CPU core).")
@click.option("--dev", is_flag=True, help="Use Flask's single-process development server instead of gunicorn.")
@click.option("--watch", is_flag=True,
              help="Preview: rebuild on every save; each page lists the problems of a failed rebuild until fixed.")
def serve(content_dir, out_dir, host, port, workers, dev, watch):
    """Build if the content changed, then serve the site with gunicorn.

    Example:

        python -m kb serve --port 8000

        python -m kb serve --host 0.0.0.0 --port 8080 --workers 4

        python -m kb serve --watch --dev
    """
    from kb.build import build as run_build
    from kb.web import create_app
    from kb.web.server import hosts_note, port_problem, run_gunicorn

    problem = port_problem(host, port)  # before building: say it at once
    if problem:
        raise click.ClickException(problem)
    from kb import watch as watcher

    try:
        click.echo(run_build(content_dir, out_dir).summary())
        if watch:
            watcher.clear_problems(out_dir)
    except ContentError as exc:
        if watch:
            watcher.write_problems(out_dir, exc.problems)
        for p in exc.problems:
            click.echo(str(p))
        if not (out_dir / "current").exists():
            raise click.ClickException("the content has problems and there is no previous build to serve.") from None
        click.echo("The content has problems; serving the previous build.")
    except BuildError as exc:
        if not (out_dir / "current").exists():
            raise click.ClickException(str(exc)) from None
        click.echo(f"{exc} Serving the previous build.")
    app = create_app({"BUILD_DIR": str(out_dir), "PREVIEW": watch})
    if watch:
        watcher.start(content_dir, out_dir, echo=click.echo)
        click.echo(f"Watching {content_dir} for changes; each save rebuilds.")
    note = hosts_note(app, host)
    if note:
        click.echo(note)
    server = "Flask development server" if dev else f"gunicorn, {workers} workers"
    click.echo(f"Serving http://{host}:{port}/ ({server}); "
               "press Ctrl+C to stop.")
    try:
        if dev:
            app.run(host=host, port=port)
        else:
            run_gunicorn(app, host, port, workers)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror}); is another server running "
                                   "there? Pick another port with --port.") from None


@cli.command()
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@out_option
def export(target, out_dir):
    """Write the current build as static files into TARGET: every page, print cards, the JSON API
    and a search that works offline (open TARGET/index.html from a USB stick, or serve TARGET
    with any web server).

    Example:

        python -m kb build && python -m kb export site-export
    """
    from kb.export import ExportError
    from kb.export import export as run_export

    try:
        result = run_export(out_dir, target)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.summary())
