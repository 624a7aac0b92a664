"""Channels and the legal rules they rest on, declared as data; every rule cites sources.

Each `Rule` states one legal condition, deadline or status in words a reader can check, with
the ids of sources in `content/sources/` that state it. `python -m kb check` treats these ids as
citations (see `citations()`): an unknown id is reported with this file's line, and a source
cited only here is not reported as uncited. The planner (`kb.route.planner`) decides with the
small functions at the end of this module and copies the rules' texts and sources into steps.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

STAGES = ("emergency", "preserve", "obtain")
DATA_TYPES = {
    "subscriber": "Subscriber data (name, account details, the user behind an IP address at a given time)",
    "traffic": "Traffic data (logs, connection records, IP addresses used, correspondents)",
    "content": "Stored content (messages, files, photos)",
}


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Channel:
    id: str
    title: str
    when: str  # the conditions under which the planner offers it, in words


CHANNELS: dict[str, Channel] = {c.id: c for c in (
    Channel("provider-emergency", "Emergency disclosure request to the provider",
            "A provider is named and the case is urgent; uses the provider's own emergency channel."),
    Channel("provider-preservation", "Preservation request to the provider",
            "A provider is named; asks it to keep the data while the legal request is prepared."),
    Channel("provider-direct", "Direct request to the provider",
            "The provider (or the ISPs of the country) answers foreign authorities directly for this data "
            "type, according to the entry."),
    Channel("24-7-network", "24/7 network (Convention on Cybercrime, Art. 35)",
            "Both states are Parties to the Convention on Cybercrime; for urgent help and Art. 29 preservation."),
    Channel("interpol", "INTERPOL National Central Bureau",
            "Urgent cases; police-to-police route through the NCBs and I-24/7."),
    Channel("eu-preservation-order", "European Preservation Order (Regulation (EU) 2023/1543)",
            "Both sides bound by the Regulation (EU Member States except Denmark), the Regulation applies on "
            "today's date, and the provider is established or represented in another Member State."),
    Channel("eu-production-order", "European Production Order (Regulation (EU) 2023/1543)",
            "As the Preservation Order; traffic and content data only for offences punishable by at least "
            "3 years or the listed offences, including child sexual abuse material."),
    Channel("eio", "European Investigation Order (Directive 2014/41/EU)",
            "Both states are EU Member States bound by the Directive (not Denmark, not Ireland)."),
    Channel("cloud-act", "CLOUD Act executive agreement",
            "An agreement is in force between the United States and the other state (UK, Australia)."),
    Channel("second-protocol-art7", "Second Additional Protocol, Art. 7 (subscriber information)",
            "The Protocol is in force and both states are Parties to it; subscriber data only."),
    Channel("second-protocol-art6", "Second Additional Protocol, Art. 6 (domain registration information)",
            "The Protocol is in force, both states are Parties, and the provider registers domain names."),
    Channel("mla", "Mutual legal assistance request",
            "Always for stored content, as the fallback; for other data when no quicker channel applies."),
)}


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


RULES: dict[str, Rule] = _rules(
    # --- Convention on Cybercrime (ETS 185) -------------------------------------------------
    Rule("budapest-24-7",
         "Each Party to the Convention on Cybercrime keeps a 24/7 point of contact for immediate assistance, "
         "including the preservation of data under Articles 29 and 30 (Art. 35).",
         ("t-24-7-network-coe-about-poc", "t-24-7-network-coe-network-page")),
    Rule("budapest-art29-contents",
         "An Art. 29 preservation request names the requesting authority, the offence and a brief summary of the "
         "facts, the data to preserve and their relation to the offence, what identifies the custodian or the "
         "system, why preservation is necessary, and that a request for search, seizure or disclosure will "
         "follow (Art. 29(2)).",
         ("t-preservation-vs-retention-inview-art29",)),
    Rule("budapest-art29-period",
         "Data preserved under Art. 29 are kept for at least 60 days, to allow the mutual assistance request to "
         "be sent (Art. 29(7)).",
         ("t-preservation-vs-retention-inview-art29", "route-ankara-budapest-art29")),
    Rule("budapest-art29-dual",
         "Dual criminality is not a condition of preservation (Art. 29(3)), but a Party may reserve the right to "
         "refuse it where dual criminality could not be met at disclosure (Art. 29(4)).",
         ("t-preservation-vs-retention-inview-art29",)),
    Rule("budapest-art30",
         "If the requested Party finds that a provider in another state took part in the transmission, it "
         "discloses enough traffic data to identify that provider and the path (Art. 30).",
         ("route-stevens-budapest-art30",)),
    Rule("budapest-art27",
         "Parties designate central authorities for mutual assistance (Art. 27) and for extradition (Art. 24) as "
         "well as 24/7 points of contact (Art. 35).",
         ("t-24-7-network-coe-resources",)),
    Rule("tcy-template",
         "The Council of Europe's T-CY adopted a data preservation request template for Articles 29 and 30 on "
         "9 July 2018 (T-CY(2018)11): date, reference, request status, requested authority, requesting authority "
         "with contacts, office hours and time zone, contact for confirmation, investigating authority.",
         ("route-tcy-2018-11",)),
    # --- INTERPOL -----------------------------------------------------------------------------
    Rule("interpol-ncb",
         "Each INTERPOL member country hosts a National Central Bureau linked to the others through the I-24/7 "
         "police network.",
         ("route-interpol-ncb", "t-police-channels-interpol-i247-2008")),
    # --- providers ----------------------------------------------------------------------------
    Rule("us-content-bar",
         "US law is generally read as barring US providers from giving stored content directly to a foreign "
         "government: MLA or a CLOUD Act agreement is the normal route for content.",
         ("zwillgen-foreign-requests-mlat",)),
    Rule("us-noncontent-voluntary",
         "US providers may lawfully give non-content records to foreign governments (18 U.S.C. 2702(c)(6)), but "
         "outside emergencies many ask for the MLA route.",
         ("usc-2702-compilation", "zwillgen-foreign-requests-mlat")),
    Rule("us-emergency-voluntary",
         "A US provider may disclose contents and records in an emergency involving danger of death or serious "
         "physical injury (18 U.S.C. 2702(b)(8), (c)(4)); the exception permits but does not compel disclosure.",
         ("usc-2702-compilation",)),
    Rule("fraudulent-edr",
         "Providers are warned about fraudulent emergency data requests: send from an official address and "
         "expect a call-back to verify.",
         ("t-emergency-disclosure-pymnts-fbi-pin",)),
    Rule("unodc-forms",
         "UNODC publishes model forms for requests to providers: preservation, voluntary disclosure and emergency "
         "disclosure.",
         ("t-emergency-disclosure-unodc-model-forms",)),
    # --- EU e-evidence ------------------------------------------------------------------------
    Rule("eu-members",
         "The European Union has 27 Member States.",
         ("fr-europa-eu-countries",)),
    Rule("eevidence-applies",
         "Regulation (EU) 2023/1543 on European Production and Preservation Orders applies from 18 August 2026.",
         ("t-e-evidence-twobirds", "t-e-evidence-acompli")),
    Rule("eevidence-denmark",
         "The Regulation applies in all EU Member States except Denmark.",
         ("t-e-evidence-acompli",)),
    Rule("eevidence-scope",
         "An order goes to a provider that offers services in the Union and is established, or represented by a "
         "legal representative, in another Member State, wherever the data are stored (Art. 1).",
         ("t-e-evidence-fra-art1", "route-eumonitor-2023-1543-art1")),
    Rule("eevidence-subscriber",
         "A European Production Order for subscriber data, or for data requested only to identify the user "
         "(such as an IP address), may be issued for all criminal offences (Art. 5(3)).",
         ("route-fantasticsearch-2023-1543-art5",)),
    Rule("eevidence-threshold",
         "An order for other traffic data or for content data may be issued only for offences punishable in the "
         "issuing state by a maximum custodial sentence of at least 3 years, or for the listed offences, which "
         "include Articles 3 to 7 of Directive 2011/93/EU (sexual abuse and exploitation of children, child "
         "sexual abuse material) committed wholly or partly by means of an information system (Art. 5(4)).",
         ("route-gesetze-2023-1543-art5",)),
    Rule("eevidence-authority",
         "Orders for traffic data (other than for identification) and content data are issued or validated by a "
         "judge, a court or an investigating judge; for subscriber and identification data a public prosecutor may "
         "also issue them (Art. 4).",
         ("route-gesetze-2023-1543-art4",)),
    Rule("eevidence-deadlines",
         "The provider produces the data within 10 days of receiving the certificate (EPOC), and in emergency cases "
         "within 8 hours (Art. 10).",
         ("route-gesetze-2023-1543-art10",)),
    Rule("eevidence-notification",
         "For traffic data (other than for identification) and content, the issuing authority notifies the "
         "enforcing state at the same time as the provider, unless the offence was committed in the issuing state "
         "and the person lives there (Art. 8).",
         ("route-gesetze-2023-1543-art8",)),
    Rule("eevidence-preservation-period",
         "Under a European Preservation Order the data are kept for 60 days, extendable by 30 days where needed to "
         "issue the production request (Art. 11).",
         ("route-gesetze-2023-1543-art11",)),
    Rule("eevidence-non-exclusive",
         "The Regulation is not exclusive: the issuing authority may instead use the EIO, MLA or domestic orders.",
         ("route-eucrim-non-exclusive",)),
    Rule("eevidence-languages",
         "Providers notify the languages they accept for orders to the central authority of the Member State of "
         "their designated establishment or legal representative.",
         ("route-dpa-2023-1544-languages",)),
    # --- European Investigation Order ---------------------------------------------------------
    Rule("eio-not-bound",
         "All Member States take part in the European Investigation Order except Denmark and Ireland.",
         ("route-evidence2e-eio-five-years", "route-ejn-eio-denmark")),
    Rule("eio-ireland-2025",
         "In June 2025 Ireland still did not take part in the EIO; its government approved working towards it.",
         ("route-govie-cjico-2025",)),
    Rule("eio-deadlines",
         "The executing authority decides on recognition within 30 days of receipt and carries out the measure "
         "within 90 days of that decision; it takes as full account as possible of an urgency indicated (Art. 12).",
         ("route-legislation-eio-art12",)),
    Rule("eio-replaces",
         "Between the Member States bound by it, the EIO replaces the corresponding provisions of the 1959 Council "
         "of Europe and 2000 EU mutual assistance conventions.",
         ("route-eclan-eio",)),
    Rule("eu-mla-2000",
         "The 2000 EU mutual assistance convention supplements the 1959 Council of Europe convention and allows "
         "direct transmission between judicial authorities and, in emergencies, via INTERPOL.",
         ("route-eclan-mla-2000",)),
    Rule("uk-eu-mla",
         "Since 1 January 2021 the EIO and the 2000 EU convention no longer apply to the UK; UK-EU assistance runs on "
         "the 1959 Council of Europe convention as supplemented by the EU-UK Trade and Cooperation Agreement.",
         ("route-govuk-eio",)),
    # --- CLOUD Act ----------------------------------------------------------------------------
    Rule("cloud-act-us-gb",
         "The US-UK CLOUD Act agreement entered into force on 3 October 2022; orders must relate to a serious crime "
         "and UK orders must not target US persons or persons in the United States; the designated authorities are "
         "the DOJ Office of International Affairs and the Home Office Investigatory Powers Unit.",
         ("natlawreview-us-uk-cloud-act",)),
    Rule("cloud-act-us-au",
         "The Australia-US CLOUD Act agreement (signed 15 December 2021) was brought into force on 30 January 2024 "
         "by an exchange of diplomatic notes; Australian international production orders go through the "
         "Australian Designated Authority directly to US providers, for serious crime.",
         ("ag-au-us-cloud-act-in-force", "homeaffairs-au-us-cloud-act")),
    Rule("cloud-act-permits",
         "A CLOUD Act agreement permits, but does not oblige, US providers to disclose data to the partner "
         "government; compulsion comes from the partner's own law.",
         ("t-cloud-act-insideprivacy-au-signed",)),
    # --- Second Additional Protocol (CETS 224) ------------------------------------------------
    Rule("protocol-in-force",
         "The Second Additional Protocol enters into force after five ratifications; the latest source read "
         "(Dutch treaty database, February 2026) lists three (Serbia, Japan, Hungary) and no entry into force.",
         ("t-second-protocol-eucrim-opening", "t-second-protocol-verdragenbank-224")),
    Rule("protocol-art7",
         "Art. 7 lets a Party's authorities order subscriber information directly from a provider in another "
         "Party's territory; a Party may reserve the right not to apply it (Japan did).",
         ("route-eurojust-2ap-art7", "t-second-protocol-verdragenbank-224")),
    Rule("protocol-art6",
         "Art. 6 provides for direct requests to registrars in other Parties for domain name registration "
         "information.",
         ("t-second-protocol-coe-cyber2ap",)),
    # --- MLA ----------------------------------------------------------------------------------
    Rule("mla-slow",
         "The European Commission put an MLA procedure at 10 months on average (2018): preserve the data first.",
         ("t-e-evidence-ejn-2018-proposal",)),
)

# --- facts the functions below use (each with the rule that sources it) -----------------------
EU_MEMBERS = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
EEVIDENCE_APPLIES = dt.date(2026, 8, 18)  # rule eevidence-applies
EEVIDENCE_NOT_BOUND = frozenset({"DK"})  # rule eevidence-denmark
EIO_NOT_BOUND = frozenset({"DK", "IE"})  # rule eio-not-bound
CLOUD_ACT = {  # pair -> (in force from, rule id); rules cloud-act-us-gb, cloud-act-us-au
    frozenset({"US", "GB"}): (dt.date(2022, 10, 3), "cloud-act-us-gb"),
    frozenset({"US", "AU"}): (dt.date(2024, 1, 30), "cloud-act-us-au"),
}
PROTOCOL_IN_FORCE: dt.date | None = None  # rule protocol-in-force: not in force by the latest source read
PROTOCOL_ART7_RESERVED = frozenset({"JP"})  # rule protocol-art7
EU_ROLES = ("eu-establishment", "legal-representative")


def eu_member(code: str | None) -> bool:
    return (code or "").upper() in EU_MEMBERS


def eevidence_bound(code: str | None) -> bool:
    return eu_member(code) and (code or "").upper() not in EEVIDENCE_NOT_BOUND


def eevidence_applies(today: dt.date) -> bool:
    return today >= EEVIDENCE_APPLIES


def eio_bound(code: str | None) -> bool:
    return eu_member(code) and (code or "").upper() not in EIO_NOT_BOUND


def cloud_act(a: str | None, b: str | None, today: dt.date) -> tuple[str, dt.date, bool] | None:
    """The agreement between two states, if any: (rule id, in force from, in force today)."""
    if not a or not b:
        return None
    hit = CLOUD_ACT.get(frozenset({a.upper(), b.upper()}))
    if not hit or a.upper() == b.upper():
        return None
    start, rule = hit
    return rule, start, today >= start


def protocol_in_force(today: dt.date) -> bool:
    return PROTOCOL_IN_FORCE is not None and today >= PROTOCOL_IN_FORCE


# --- the check reads these ids as citations ---------------------------------------------------
HERE = Path(__file__)
FILE = "kb/route/rules.py"
SOURCES_FILE = "route-rules.yaml"  # a content tree that has it opts in to these citations


def citations() -> list[tuple]:
    """(source id, file, key, where, line) for every source id a rule names, with the line it is on."""
    lines = HERE.read_text(encoding="utf-8").splitlines()
    out = []
    for rule in RULES.values():
        start = next((i for i, text in enumerate(lines) if re.search(rf'Rule\("{re.escape(rule.id)}"', text)), 0)
        for sid in rule.sources:
            line = next((i for i in range(start, len(lines)) if f'"{sid}"' in lines[i]), start)
            out.append((sid, FILE, "route-rules", f"rule {rule.id}", line + 1))
    return out
