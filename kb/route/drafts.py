"""Request drafts declared as data: fields in the order of their model, pre-filled from a route step.

- Preservation request: the fields of the T-CY data preservation template of 9 July 2018
  (T-CY(2018)11, fields 1 to 7 as read), followed by the elements of Art. 29(2) of the Convention
  on Cybercrime in the order of the article.
- Emergency disclosure request: the elements of an emergency request to a provider as UNODC's
  model forms name them (nature of the emergency, the imminent risk, the data sought, why normal
  process is too slow), with the requesting authority first so the provider can verify it.

`fill(kind, step, values)` returns the fields with their values (typed values win over the
pre-filled ones); `as_text` and `as_docx` render the result. Nothing is stored.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

from kb.route import rules as R
from kb.route.views import RequestView, StepView

MAX_VALUE = 4000


@dataclass(frozen=True)
class DraftField:
    name: str
    label: str
    help: str
    rows: int = 3


@dataclass(frozen=True)
class Draft:
    kind: str
    title: str
    basis: str
    rules: tuple[str, ...]  # rule ids whose sources back the structure
    fields: tuple[DraftField, ...]


DRAFTS: dict[str, Draft] = {d.kind: d for d in (
    Draft("preservation", "Request for expedited preservation of stored computer data",
          "Articles 29 and 30 of the Convention on Cybercrime; layout of the T-CY data preservation request "
          "template (T-CY(2018)11).",
          ("tcy-template", "budapest-art29-contents", "budapest-art29-period"),
          (
              DraftField("date", "1. Date", "DD/MM/YYYY.", 1),
              DraftField("reference", "2. Reference / case number", "Your file or ticket number.", 1),
              DraftField("status", "3. Request status", "New request, or extension of a previous request (give its "
                         "reference).", 1),
              DraftField("requested", "4. Requested authority (addressee)", "Who receives the request.", 4),
              DraftField("requesting", "5. Requesting authority", "Organisation, person in charge, address, telephone, "
                         "mobile, e-mail, fax, office hours, time zone; how you prefer the reply.", 5),
              DraftField("confirmation", "6. Contact for additional confirmation", "Name, job title, function, "
                         "telephone, mobile, e-mail.", 3),
              DraftField("investigating", "7. Investigating / operational authority in charge of the case", "", 2),
              DraftField("offence", "8. Offence and brief summary of the facts", "Art. 29(2)(b): the offence under "
                         "investigation and a short account of the facts.", 6),
              DraftField("data", "9. Stored data to preserve and their relation to the offence", "Art. 29(2)(c): "
                         "identifiers (account, e-mail, phone, IP address with date, time and time zone), data "
                         "categories, time range.", 6),
              DraftField("custodian", "10. Custodian of the data / location of the computer system",
                         "Art. 29(2)(d): the provider and the entity that holds the data.", 3),
              DraftField("necessity", "11. Necessity of the preservation", "Art. 29(2)(e): why the data may be lost "
                         "or altered without it.", 3),
              DraftField("follow_up", "12. Intention to submit a request for mutual assistance / production",
                         "Art. 29(2)(f): the request that will follow, and when.", 3),
              DraftField("other_providers", "13. Other providers involved (Art. 30)", "Ask for the traffic data that "
                         "identify another provider in the path of the communication, if any.", 2),
          )),
    Draft("emergency", "Emergency disclosure request",
          "Elements of an emergency disclosure request to a service provider as in UNODC's model forms "
          "(the forms' own field list was not read; the elements follow their published purpose).",
          ("unodc-forms", "fraudulent-edr"),
          (
              DraftField("date", "Date and time (with time zone)", "", 1),
              DraftField("requesting", "Requesting authority and officer", "Unit, name, rank, official e-mail "
                         "address and a direct phone number for the provider's call-back.", 4),
              DraftField("requested", "Addressee", "The provider's emergency channel.", 3),
              DraftField("emergency", "Nature of the emergency", "What is happening: e.g. a child at risk of sexual "
                         "abuse, self-harm, abduction.", 5),
              DraftField("risk", "The imminent risk", "Who is at risk, of what harm, and how soon; what you know now.",
                         5),
              DraftField("data", "Data sought", "Account identifiers and the specific data that would avert the harm "
                         "(e.g. current location, recent IP addresses with time and time zone, phone number).", 5),
              DraftField("why_now", "Why the normal legal process is too slow", "The time the usual order would take "
                         "against the time left.", 4),
              DraftField("follow_up", "Follow-up", "Whether a preservation request and a formal request will follow.",
                         2),
          )),
)}


class FilledField(TypedDict):
    """A draft field with its value, as the form and the downloads render it."""
    name: str  # the form name (PREFIX + DraftField.name)
    label: str
    help: str
    rows: int
    value: str


PREFIX = "d_"  # form names of draft fields, apart from the route's own parameters (data, from ...)


def prefill(kind: str, step: StepView | None, case: RequestView, today: dt.date,
            entities: Sequence[Mapping[str, str]] = ()) -> dict[str, str]:
    """Values the knowledge base can supply for a draft, from the route step it belongs to."""
    out: dict[str, str] = {"date": today.strftime("%d/%m/%Y") if kind == "preservation" else today.isoformat(),
                           "status": "New request"}
    if not step:
        return out
    addressee = [step["who"]] + [h for h in step["how"] if h]
    out["requested"] = "\n".join(addressee)
    provider = case["provider"]["name"] if case["provider"] else None
    if kind == "preservation":
        if provider:
            out["custodian"] = "\n".join([provider] + [
                ", ".join(x for x in (e.get("name"), e.get("address"), e.get("country"), e.get("role")) if x)
                for e in entities])
        lines = ["Identifiers: ", "Time range (with time zone): ", "Data categories: "]
        checklist = [x for x in step["include"] if x not in GENERIC]
        if checklist:
            lines.append("The addressee asks for: " + " / ".join(checklist))
        out["data"] = "\n".join(lines)
        out["follow_up"] = ("A request for production (mutual legal assistance request or order) will follow before "
                            "the preservation period ends.")
    else:
        checklist = [x for x in step["include"] if x not in GENERIC]
        out["data"] = "Identifiers: \nData needed: \n" + ("The provider asks for: " + " / ".join(checklist)
                                                           if checklist else "")
        out["follow_up"] = "A preservation request and a formal request for production will follow."
    return out


GENERIC = {"The account identifiers", "The time range", "The data categories to keep",
           "That a formal request for production will follow",
           "The nature of the emergency and why it is imminent (danger of death or serious physical injury, "
           "a child at risk)", "The account identifiers and the specific data needed to avert the harm",
           "Why the normal legal process would be too slow", "Your name, unit, official e-mail address and a "
           "direct phone number for a call-back"}


def fill(kind: str, typed: Mapping[str, str], pre: dict[str, str]) -> list[FilledField]:
    """The draft's fields with values: what the person typed, else what the knowledge base supplies."""
    draft = DRAFTS[kind]
    out: list[FilledField] = []
    for f in draft.fields:
        raw = typed.get(PREFIX + f.name)
        value = (raw if raw is not None else pre.get(f.name, ""))[:MAX_VALUE]
        out.append({"name": PREFIX + f.name, "label": f.label, "help": f.help, "rows": f.rows, "value": value})
    return out


def rule_sources(kind: str) -> list[str]:
    ids: list[str] = []
    for rid in DRAFTS[kind].rules:
        ids += [s for s in R.RULES[rid].sources if s not in ids]
    return ids


def as_text(kind: str, fields: list[FilledField], languages: list[str]) -> str:
    draft = DRAFTS[kind]
    lines = [draft.title.upper(), "", f"Basis: {draft.basis}", ""]
    if languages:
        lines += ["Language: " + "; ".join(languages), ""]
    for f in fields:
        lines.append(f["label"])
        lines.append(f["value"].strip() or "[to be completed]")
        lines.append("")
    lines.append("Drafted with the Legal channels across borders knowledge base; verify every contact against its "
                 "source before sending.")
    return "\r\n".join(lines) + "\r\n"


def as_docx(kind: str, fields: list[FilledField], languages: list[str]) -> bytes:
    from docx import Document  # python-docx

    draft = DRAFTS[kind]
    doc = Document()
    doc.add_heading(draft.title, level=1)
    doc.add_paragraph(f"Basis: {draft.basis}")
    if languages:
        doc.add_paragraph("Language: " + "; ".join(languages))
    for f in fields:
        doc.add_heading(f["label"], level=2)
        for line in (f["value"].strip() or "[to be completed]").splitlines() or [""]:
            doc.add_paragraph(line)
    doc.add_paragraph("Drafted with the Legal channels across borders knowledge base; verify every contact against "
                      "its source before sending.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
