"""Jinja filters and globals shared by all templates."""
from __future__ import annotations

import datetime as dt

from flask import Flask, g, request, url_for
from markupsafe import Markup, escape

from kb.fields import NOT_CURATED, VOCABULARIES


def ago(days) -> str:
    if days is None:
        return "never verified"
    if days <= 0:
        return "today"
    if days == 1:
        return "1 day ago"
    if days < 60:
        return f"{days} days ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def entry_url(kind: str, key: str, anchor: str | None = None, external: bool = False) -> str:
    """The address of an entry's page (`kind` countries, providers or topics), as the app routes it."""
    return url_for("entries.entry", kind=kind, key=key.lower(), _anchor=anchor, _external=external)


def percent(value) -> str:
    return f"{round(float(value or 0) * 100)}%"


def contact_link(value: str, kind: str) -> Markup:
    """Make phone numbers, e-mails and URLs clickable; `kind` is the field's declared type."""
    if isinstance(value, list):
        return Markup("<ul class=\"items\">" + "".join(f"<li>{escape(x)}</li>" for x in value) + "</ul>")
    v = escape(value)
    if kind == "country":
        from kb.skeleton import country_name

        entry = g.store.entry("countries", value) if getattr(g, "store", None) else None
        name = escape(country_name(value))
        return Markup(f'<a href="{escape(entry_url("countries", value))}">{name}</a>' if entry else f"{name} ({v})")
    if kind == "phone":
        return Markup(f'<a href="tel:{escape(value.replace(" ", ""))}">{v}</a>')
    if kind == "email":
        return Markup(f'<a href="mailto:{v}">{v}</a>')
    if kind == "url":
        return Markup(f'<a href="{v}" rel="noopener noreferrer">{v}</a>')
    return Markup(v)


def register(app: Flask) -> None:
    app.jinja_env.filters["ago"] = ago
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["contact"] = contact_link
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["entry_url"] = entry_url
    app.jinja_env.globals["NOT_CURATED"] = NOT_CURATED  # also for imported macros (_macros.html), which get no context

    @app.context_processor
    def globals_():
        meta = g.store.meta() if getattr(g, "store", None) else {}
        return {"VOCAB": VOCABULARIES, "build": meta,
                "today": getattr(g, "today", dt.date.today()), "q": request.args.get("q", "")}
