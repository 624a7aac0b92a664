"""What an entry may hold, declared as data: fields, vocabularies and sections, each with help.

`kb.schema` validates against these declarations, `python -m kb fields` prints them and
`docs/content-format.md` documents them (a test fails when a field is undocumented).
"""
from __future__ import annotations

from dataclasses import dataclass

TYPES: dict[str, str] = {
    "text": "Free text on one line (quote it when it holds a colon).",
    "date": "An ISO date, YYYY-MM-DD, not in the future.",
    "int": "A whole number of zero or more, digits only.",
    "url": "A full http(s) address of the original page.",
    "phone": "An international number starting with '+', valid for its country.",
    "email": "One e-mail address, name@domain.tld.",
    "country": "An ISO 3166-1 alpha-2 country code (XK for Kosovo).",
    "vocab": "One value of the field's vocabulary.",
    "answer": "A yes/no-style answer from the field's vocabulary.",
    "topic": "The slug (file name) of a topic.",
    "list": "A list of values of the field's item type.",
    "group": "A group of fields, with an optional source, as_of and note for all of them.",
    "groups": "A list of groups of fields.",
}  # kb.checks.values checks each one-value type; a test fails when a Field uses a type not listed here


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # one of TYPES
    help: str
    required: bool = False
    vocab: str = ""  # for type vocab, or list items of a vocabulary
    item: str = "text"  # for type list: the item type
    fields: tuple = ()  # for group / groups
    sourced: bool = False  # every value needs a source (directly or from its group)
    label: str = ""
    # A vocabulary field outside repeated groups is a filter of its kind's list page, API list and
    # comparison builder (kb.facets). facet=True also makes it a facet of the search page.
    facet: bool = False

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


from kb.vocabularies import VOCABULARIES  # noqa: E402,F401 - re-exported: one import for the declarations

SOURCE_KEYS = (
    Field("not_applicable", "text", "Why this whole group does not apply here (e.g. 'Not a Party to the "
          "Convention, so no Art. 35 point of contact'), with a source. Shown as 'Not applicable', counted "
          "apart from gaps."),
    Field("source", "text", "Id (or list of ids) in the bibliography that backs every value here."),
    Field("as_of", "date", "The date the source itself states for these facts (e.g. a 2006 declaration)."),
    Field("note", "text", "A caveat for readers: scope, doubts, what to re-verify."),
)


def group(name, help, *fields, label="", required=False):
    return Field(name, "group", help, fields=tuple(fields) + SOURCE_KEYS, sourced=True, label=label,
                 required=required)


def groups(name, help, *fields, label=""):
    return Field(name, "groups", help, fields=tuple(fields) + SOURCE_KEYS, sourced=True, label=label)


CONTACT = (
    Field("name", "text", "Name of the authority or office (English and native where useful)."),
    Field("unit", "text", "Department or unit inside it."),
    Field("address", "text", "Postal address as the source prints it."),
    Field("phone", "phone", "Phone in international form, e.g. '+31 10 496 6966'."),
    Field("fax", "phone", "Fax in international form."),
    Field("email", "email", "E-mail address."),
    Field("url", "url", "Web page of the authority or of the request procedure."),
)

COUNTRY_FIELDS = (
    Field("code", "text", "ISO 3166-1 alpha-2 code (XK for Kosovo); must match the file name.", required=True),
    Field("name", "text", "Common English name.", required=True),
    Field("official_name", "text", "Official name."),
    Field("aliases", "list", "Native names, other spellings, demonyms, abbreviations: all found by search."),
    Field("region", "vocab", "World region.", vocab="region", required=True, facet=True),
    Field("memberships", "list", "Organisations the country belongs to, with a source.", item="vocab",
          vocab="membership", sourced=True, facet=True),
    group("budapest", "Convention on Cybercrime (ETS 185).",
          Field("status", "vocab", "Where the country stands.", vocab="budapest_status", facet=True),
          Field("signed", "date", "Date of signature."),
          Field("ratified", "date", "Date of ratification, acceptance or accession."),
          Field("in_force", "date", "Date of entry into force for the country."),
          Field("reservations", "text", "Reservations or declarations that matter to a foreign request."),
          label="Convention on Cybercrime"),
    group("second_protocol", "Second Additional Protocol to the Convention (CETS 224).",
          Field("status", "vocab", "Where the country stands.", vocab="protocol_status"),
          Field("signed", "date", "Date of signature."),
          Field("ratified", "date", "Date of ratification."),
          label="Second Additional Protocol"),
    group("un_cybercrime", "United Nations Convention against Cybercrime (adopted 24 December 2024, opened "
          "for signature in Hanoi on 25 October 2025).",
          Field("status", "vocab", "Where the country stands.", vocab="un_status"),
          Field("signed", "date", "Date of signature."),
          Field("ratified", "date", "Date of ratification, acceptance or accession."),
          label="UN Convention against Cybercrime"),
    groups("cloud_act", "CLOUD Act executive agreements with the United States (or, for the US, with "
           "each partner).",
           Field("partner", "country", "ISO code of the other party."),
           Field("status", "vocab", "Where the agreement stands.", vocab="agreement_status"),
           Field("signed", "date", "Date of signature."),
           Field("in_force", "date", "Date of entry into force."),
           label="CLOUD Act agreements"),
    group("central_authority", "Central authority for mutual legal assistance (Budapest Art. 27).",
          *CONTACT,
          Field("languages", "list", "Languages in which requests are accepted."),
          Field("transmission", "text", "How requests may be sent (post, e-mail, diplomatic channel...)."),
          Field("legal_basis", "text", "Statute or declaration that designates it."),
          label="Central authority"),
    groups("other_authorities", "Other designated authorities (extradition, Art. 24, judicial authorities...).",
           Field("role", "text", "What this authority is designated for."), *CONTACT,
           label="Other authorities"),
    group("contact_24_7", "24/7 point of contact (Budapest Art. 35) or equivalent.",
          *CONTACT,
          Field("access", "vocab", "Whether the contact details are public.", vocab="access"),
          label="24/7 contact point"),
    group("legal_process", "Domestic legal process to obtain data from providers in the country.",
          Field("subscriber", "text", "Order needed for subscriber data, and who issues it."),
          Field("traffic", "text", "Order needed for traffic data."),
          Field("content", "text", "Order needed for stored content."),
          Field("foreign_direct", "answer", "Do providers there answer foreign authorities directly?",
                vocab="answer"),
          Field("dual_criminality", "text", "Dual criminality requirement, if any."),
          Field("legal_basis", "text", "Statutes."),
          label="Legal process"),
    group("preservation", "Expedited preservation (Budapest Art. 16 and 29).",
          Field("legal_basis", "text", "Statute."),
          Field("max_days", "int", "Maximum preservation period in days."),
          Field("extension_days", "int", "Possible extension in days."),
          Field("foreign_request", "text", "How a foreign authority asks for preservation."),
          Field("dual_criminality", "text", "Whether dual criminality is required for preservation."),
          label="Preservation"),
    group("retention", "Mandatory data retention.",
          Field("status", "vocab", "Status of the regime.", vocab="retention_status", facet=True),
          Field("months", "int", "Retention period in months."),
          Field("legal_basis", "text", "Statute."),
          Field("categories", "text", "Which data categories must be retained."),
          Field("annulled", "date", "Date a court annulled the regime."),
          Field("annulled_by", "text", "Court and judgment that annulled it."),
          label="Data retention"),
    groups("emergency", "Channels for a child at imminent risk, most direct first.",
           Field("name", "text", "Name of the channel."),
           Field("kind", "vocab", "Kind of channel.", vocab="channel_kind"),
           Field("phone", "phone", "Phone in international form."),
           Field("email", "email", "E-mail address."),
           Field("url", "url", "Web page."),
           Field("access", "vocab", "Whether the contact is public.", vocab="access"),
           label="Emergency channels"),
    Field("related", "list", "Slugs of topics this entry relies on.", item="topic"),
    Field("reviewed", "date", "Date a curator last checked the entry against its sources.", required=True),
)

PROVIDER_FIELDS = (
    Field("slug", "text", "Short id; must match the file name.", required=True),
    Field("name", "text", "Name of the service or company.", required=True),
    Field("aliases", "list", "Other names, products and services (YouTube, WhatsApp...)."),
    Field("services", "list", "Services covered by this entry."),
    Field("status", "vocab", "Whether the service still operates (default: active).", vocab="provider_status"),
    Field("closed", "date", "Date the service shut down (for status: closed).", sourced=True),
    Field("headquarters", "country", "ISO code of the country of the parent company.", sourced=True),
    groups("entities", "Legal entities that hold the data, and their jurisdictions.",
           Field("name", "text", "Company name."),
           Field("country", "country", "ISO code of its jurisdiction."),
           Field("role", "vocab", "Its role.", vocab="entity_role"),
           Field("address", "text", "Postal address."),
           label="Legal entities"),
    group("le_portal", "How law enforcement reaches the provider.",
          Field("name", "text", "Name of the portal or team."),
          Field("url", "url", "Portal or guidelines address."),
          Field("email", "email", "E-mail for requests, if the provider publishes one."),
          Field("address", "text", "Postal address for service of process."),
          Field("phone", "phone", "Phone, if published."),
          label="Law enforcement contact"),
    group("foreign_requests", "Whether it answers foreign authorities directly.",
          Field("accepts_direct", "vocab", "Accepts requests directly from foreign authorities.", vocab="answer"),
          Field("route", "text", "The route foreign authorities must or may use."),
          label="Foreign requests"),
    group("legal_process", "Legal process required, per data type.",
          Field("subscriber", "text", "Subscriber data."),
          Field("non_content", "text", "Traffic or other non-content data."),
          Field("content", "text", "Stored content."),
          Field("foreign", "text", "What foreign authorities need (MLA, CLOUD Act agreement, EU order...)."),
          label="Legal process"),
    group("preservation", "Preservation requests.",
          Field("how", "text", "How to ask."),
          Field("days", "int", "How long preserved data is kept, in days."),
          Field("extension", "text", "Whether and how it can be extended."),
          label="Preservation"),
    group("emergency", "Emergency disclosure.",
          Field("channel", "text", "How to make an emergency request."),
          Field("criteria", "text", "When the provider discloses without legal process."),
          Field("url", "url", "Where the channel is described."),
          Field("email", "email", "E-mail for emergency requests, if published."),
          Field("phone", "phone", "Phone for emergency requests, if published."),
          label="Emergency disclosure"),
    group("user_notification", "Whether users are told about requests.",
          Field("policy", "text", "The policy."),
          label="User notification"),
    group("retention", "What the provider says about how long it keeps data.",
          Field("statement", "text", "The statement."),
          label="Retention"),
    group("ncmec", "Reporting of child sexual abuse material to NCMEC or others.",
          Field("reporting", "text", "What the provider reports and to whom."),
          label="CSAM reporting"),
    group("transparency_report", "Transparency report.",
          Field("url", "url", "Address."),
          label="Transparency report"),
    group("checklist", "Pre-submission checklist from the provider's guidelines.",
          Field("items", "list", "One short item each: identifiers needed, time zone, scope..."),
          label="Checklist"),
    Field("related", "list", "Slugs of topics this entry relies on.", item="topic"),
    Field("reviewed", "date", "Date a curator last checked the entry against its sources.", required=True),
)

TOPIC_FIELDS = (
    Field("slug", "text", "Short id; must match the file name.", required=True),
    Field("title", "text", "Title.", required=True),
    Field("aliases", "list", "Other names and abbreviations (MLA, MLAT ...)."),
    Field("summary", "text", "One or two sentences shown in lists and search results.", required=True),
    Field("related", "list", "Slugs of related topics.", item="topic"),
    Field("reviewed", "date", "Date a curator last checked the entry against its sources.", required=True),
)

SOURCE_FIELDS = (
    Field("title", "text", "Title of the page or document.", required=True),
    Field("url", "url", "Address where it was read.", required=True),
    Field("publisher", "text", "Who publishes it."),
    Field("accessed", "date", "Date a curator read it.", required=True),
    Field("published", "text", "The source's own date (a year or an ISO date), e.g. of a 2006 declaration."),
    Field("note", "text", "Caveat: mirror, secondary source, translation..."),
)

NOT_CURATED = "Not yet curated"
NOT_APPLICABLE = "Not applicable"  # a section starting with this, or a value/group marked not_applicable
OLD_SOURCE_YEARS = 5  # a contact whose newest source is older is marked "old source: confirm before use"
STALE_DAYS = 365  # an entry whose `reviewed` date is older is shown as stale


def all_field_names() -> set[str]:
    """Every dotted field name that can appear in front matter or a source (for the docs test)."""
    names = set()

    def walk(fields, prefix):
        for f in fields:
            names.add(prefix + f.name)
            if f.fields:
                walk(f.fields, prefix + f.name + ".")

    from kb.kinds import KINDS  # the kinds are declared from these field lists

    for kind in KINDS.values():
        walk(kind.fields, "")
    walk(SOURCE_FIELDS, "")
    return names
