"""One check per field type: `VALUE_CHECKS[type](field, value, say, today)` returns the value's text form,
or None after `say(message, hint)` explains what is wrong. Lists and groups are structural and are
walked by `kb.checks.entry`; every other type declared in `kb.fields.TYPES` has its function here.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import phonenumbers

from kb.checks.text import EMAIL_RE, SLUG_RE, fmt_choices, is_country_code, suggest
from kb.fields import VOCABULARIES, Field

Say = Callable[[str, str], None]


def _plain(value, say: Say) -> str | None:
    if isinstance(value, bool):
        say(f"YAML read this value as {str(value).lower()}, not as text",
            "quote it, e.g. code: \"NO\" (YAML reads NO, YES, ON and OFF as true/false)")
        return None
    return str(value).strip()


def check_text(f: Field, value, say: Say, today: dt.date) -> str | None:
    return _plain(value, say)


def check_date(f: Field | None, value, say: Say, today: dt.date) -> str | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            say(f"expected an ISO date YYYY-MM-DD, received '{value}'",
                "write e.g. 2009-07-01 (put approximate dates in the note)")
            return None
    if value > today:
        say(f"{value.isoformat()} is in the future", f"check the date (today is {today.isoformat()})")
        return None
    return value.isoformat()


def check_int(f: Field, value, say: Say, today: dt.date) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        say(f"expected a whole number, received '{value}'", "write digits only, e.g. 90 (put words in the note)")
        return None
    return str(value)


def check_url(f: Field, value, say: Say, today: dt.date) -> str | None:
    text = _plain(value, say)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        say(f"expected an http(s) address, received '{text}'",
            "write the full address, e.g. https://www.example.org/page")
        return None
    if re.match(r"^/https?/", parts.path) or ":443" in parts.netloc or parts.netloc.endswith("."):
        say(f"'{text}' looks like a proxied or mangled address",
            "cite the original address of the page (note in `note:` how it was read)")
        return None
    return text


def check_email(f: Field, value, say: Say, today: dt.date) -> str | None:
    text = _plain(value, say)
    if text is not None and not EMAIL_RE.match(text):
        say(f"expected an e-mail address, received '{text}'", "write it as name@domain.tld, one address per field")
        return None
    return text


def check_phone(f: Field, value, say: Say, today: dt.date) -> str | None:
    text = _plain(value, say)
    if text is None:
        return None
    if not text.startswith("+"):
        say(f"expected an international number starting with '+', received '{text}'",
            "write the country code, e.g. +31 70 370 7911 (no '(0)')")
        return None
    try:
        number = phonenumbers.parse(text, None)
        valid = phonenumbers.is_valid_number(number)
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        say(f"'{text}' is not a valid international phone number",
            "check the digits against the source; drop a trunk '(0)'")
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def check_vocab(f: Field, value, say: Say, today: dt.date) -> str | None:
    choices = VOCABULARIES[f.vocab]
    if isinstance(value, bool) and {"yes", "no"} <= set(choices):
        value = "yes" if value else "no"  # YAML 1.1 reads an unquoted yes/no as a boolean
    text = str(value).strip()
    if text not in choices:
        say(f"'{text}' is not a known {f.vocab.replace('_', ' ')}",
            suggest(text, choices) or f"use one of: {fmt_choices(choices)}")
        return None
    return text


def check_country(f: Field, value, say: Say, today: dt.date) -> str | None:
    text = _plain(value, say)
    if text is None:
        return None
    if not is_country_code(text):
        say(f"'{text}' is not an ISO 3166-1 alpha-2 code", "use two letters, e.g. US, IE (XK for Kosovo)")
        return None
    return text.upper()


def check_topic(f: Field, value, say: Say, today: dt.date) -> str | None:
    text = _plain(value, say)
    if text is not None and not SLUG_RE.match(text):
        say(f"'{text}' is not a topic slug", "use the file name of a topic, e.g. mla")
        return None
    return text


VALUE_CHECKS: dict[str, Callable[[Field, object, Say, dt.date], str | None]] = {
    "text": check_text,
    "date": check_date,
    "int": check_int,
    "url": check_url,
    "email": check_email,
    "phone": check_phone,
    "vocab": check_vocab,
    "answer": check_vocab,
    "country": check_country,
    "topic": check_topic,
}
STRUCTURAL = ("list", "group", "groups")  # walked by kb.checks.entry, not checked as one value
