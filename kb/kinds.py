"""The kinds of entry, declared once: folder, labels, id field, fields, fixed sections, coverage areas.

Everything that loops over kinds (the reader, the checker, the build, the search, the web pages,
the API, the history, the docs) reads `KINDS`; `FIELDS`, `SECTIONS` and `COVERAGE` are derived
views of it kept for the many readers that want only one of them. A new kind is one `Kind` here
plus its templates.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kb.fields import COUNTRY_FIELDS, PROVIDER_FIELDS, TOPIC_FIELDS, Field


@dataclass(frozen=True)
class Kind:
    name: str  # folder under content/, first part of its URLs (/countries/fr) and of the API's
    label: str  # plural, shown in headings and navigation
    singular: str  # one entry of it, in sentences ("the country with the code ...")
    id_field: str  # the front-matter key that must match the file name (code or slug)
    fields: tuple[Field, ...]
    help: str
    # Fixed sections: id -> heading, in reading order. Empty: the entry's own `## ` headings.
    sections: dict[str, str] = field(default_factory=dict)
    # Areas counted for completeness and shown on the coverage page:
    # area id -> (label, front-matter groups that hold its facts, section that holds its prose or None).
    coverage: dict[str, tuple[str, tuple[str, ...], str | None]] = field(default_factory=dict)
    cards: bool = True  # has a one-page print card (/countries/fr/card) and an urgent "child at risk" block

    @property
    def id_label(self) -> str:  # "country with the code", "provider", "topic"
        return f"{self.singular} with the code" if self.id_field == "code" else self.singular


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("countries", "Countries", "country", "code", COUNTRY_FIELDS,
         "One country: its central authority, 24/7 point, legal process, preservation, retention and "
         "emergency channels.",
         sections={
             "central-authority": "Central authority",
             "contact-24-7": "24/7 contact point",
             "legal-process": "Legal process for ISPs",
             "preservation": "Preservation",
             "retention": "Data retention",
             "emergency": "Emergency channels",
             "notes": "Notes",
         },
         coverage={
             "budapest": ("Convention on Cybercrime", ("budapest",), None),
             "central_authority": ("Central authority", ("central_authority",), "central-authority"),
             "contact_24_7": ("24/7 contact point", ("contact_24_7",), "contact-24-7"),
             "legal_process": ("Legal process", ("legal_process",), "legal-process"),
             "preservation": ("Preservation", ("preservation",), "preservation"),
             "retention": ("Data retention", ("retention",), "retention"),
             "emergency": ("Emergency channels", ("emergency",), "emergency"),
         }),
    Kind("providers", "Providers", "provider", "slug", PROVIDER_FIELDS,
         "One service provider: its legal entities, law-enforcement contact, legal process, preservation, "
         "emergency disclosure and retention.",
         sections={
             "contact": "Law enforcement contact",
             "legal-process": "Legal process",
             "preservation": "Preservation",
             "emergency": "Emergency disclosure",
             "retention": "Data retention",
             "notes": "Notes",
         },
         coverage={
             "entities": ("Legal entities", ("entities", "headquarters"), None),
             "le_portal": ("Law enforcement contact", ("le_portal",), "contact"),
             "legal_process": ("Legal process", ("legal_process", "foreign_requests"), "legal-process"),
             "preservation": ("Preservation", ("preservation",), "preservation"),
             "emergency": ("Emergency disclosure", ("emergency",), "emergency"),
             "retention": ("Retention", ("retention",), "retention"),
         }),
    Kind("topics", "Topics", "topic", "slug", TOPIC_FIELDS,
         "A concept shared by many entries (MLA, preservation, the Second Protocol ...), with free headings.",
         cards=False),
)}

FIELDS: dict[str, tuple[Field, ...]] = {k: v.fields for k, v in KINDS.items()}
SECTIONS: dict[str, dict[str, str]] = {k: v.sections for k, v in KINDS.items() if v.sections}
CARD_KINDS: tuple[str, ...] = tuple(k for k, v in KINDS.items() if v.cards)  # print cards, urgent blocks
COVERAGE = {k: v.coverage for k, v in KINDS.items() if v.coverage}


def url_rule(only_cards: bool = False) -> str:
    """The Flask URL converter that matches a kind's name: `<any(countries, providers, topics):kind>`."""
    names = list(CARD_KINDS if only_cards else KINDS)
    return f"<any({', '.join(names)}):kind>"


def key_of(kind: str, key: str) -> str:
    """The entry's id as readers write it: country codes in capitals (FR), slugs as they are."""
    return key.upper() if KINDS[kind].id_field == "code" else key
