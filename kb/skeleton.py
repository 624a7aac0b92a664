"""Skeleton entries for `python -m kb new`: every heading, every gap marked."""
from __future__ import annotations

import datetime as dt

import pycountry

from kb.fields import NOT_CURATED
from kb.kinds import SECTIONS


def country_name(code: str) -> str:
    if code.upper() == "XK":
        return "Kosovo"
    c = pycountry.countries.get(alpha_2=code.upper())
    return getattr(c, "common_name", None) or c.name if c else code.upper()


def skeleton(kind: str, key: str, today: dt.date | None = None) -> str:
    reviewed = (today or dt.date.today()).isoformat()
    headings: list[str]
    if kind == "country":
        front = (f"code: \"{key.upper()}\"\nname: {country_name(key)}\naliases: []\n"
                 "region: Europe  # one of Africa, Americas, Asia, Europe, Oceania\n"
                 f"reviewed: {reviewed}\n")
        headings = list(SECTIONS["countries"].values())
    elif kind == "provider":
        front = f"slug: {key}\nname: {key.capitalize()}\naliases: []\nreviewed: {reviewed}\n"
        headings = list(SECTIONS["providers"].values())
    else:
        front = (f"slug: {key}\ntitle: {key.replace('-', ' ').capitalize()}\n"
                 f"summary: {NOT_CURATED}.\nreviewed: {reviewed}\n")
        headings = ["Overview"]
    body = "".join(f"## {h}\n\n{NOT_CURATED}.\n\n" for h in headings)
    return f"---\n{front}---\n\n{body}".rstrip("\n") + "\n"
