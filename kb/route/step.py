"""A step of a plan as it is assembled, and the small wording helpers every stage uses.

A `Step` collects the lines of one channel (who, how, what to include, languages, limits,
pitfalls) and the ids of the sources behind them; `Step.rule` copies a rule's text and sources
from `kb.route.rules`. `contact_lines` and `dated` word an entry's contact group.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kb.route import rules as R
from kb.route.kbview import Subject


@dataclass
class Step:
    stage: str
    channel: str
    title: str
    who: str
    how: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    pitfalls: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def rule(self, rule_id: str, where: str = "limits") -> Step:
        """Add a rule's text to a list and its sources to the step."""
        r = R.RULES[rule_id]
        getattr(self, where).append(r.text)
        self.cite(*r.sources)
        return self

    def cite(self, *ids: str) -> Step:
        self.sources += [i for i in ids if i and i not in self.sources]
        return self


CONTACT = (("name", ""), ("unit", "Unit"), ("address", "Address"), ("phone", "Phone"), ("fax", "Fax"),
           ("email", "E-mail"), ("url", "Web"))


def contact_lines(s: Subject, prefix: str, skip_name: bool = False) -> list[str]:
    out = []
    for sub, label in CONTACT:
        v = s.value(f"{prefix}.{sub}")
        if v and not (skip_name and sub == "name"):
            out.append(f"{label}: {v}" if label else v)
    return out


def dated(s: Subject, prefix: str) -> str:
    as_of = s.as_of(prefix)
    return f" (source dated {as_of})" if as_of else ""


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]
