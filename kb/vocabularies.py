"""Closed vocabularies: every allowed value of a vocabulary field, with help text.

A field declares which vocabulary it takes (`Field(..., vocab="region")`); the checker, the list
filters, the search facets, the comparison builder and `kb fields` all read them from here.
"""
from __future__ import annotations

VOCABULARIES: dict[str, dict[str, str]] = {
    "region": {
        "Africa": "UN geoscheme region Africa.",
        "Americas": "North, Central and South America and the Caribbean.",
        "Asia": "Asia, including the Middle East and the Caucasus states that the UN counts in Asia.",
        "Europe": "Europe.",
        "Oceania": "Australia, New Zealand and the Pacific.",
    },
    "membership": {
        "EU": "Member state of the European Union.",
        "CoE": "Member state of the Council of Europe.",
        "G7": "Member of the G7.",
        "G20": "Member of the G20.",
        "OECD": "Member of the OECD.",
        "ASEAN": "Member of the Association of Southeast Asian Nations.",
        "AU": "Member of the African Union.",
        "ECOWAS": "Member of the Economic Community of West African States.",
        "OAS": "Member of the Organization of American States.",
        "Commonwealth": "Member of the Commonwealth of Nations.",
        "Five-Eyes": "Member of the Five Eyes intelligence alliance.",
        "Schengen": "Part of the Schengen area.",
        "Europol-agreement": "Non-EU state with an operational cooperation agreement with Europol.",
        "Eurojust-agreement": "Non-EU state with a cooperation agreement with Eurojust.",
        "INTERPOL": "Member of INTERPOL (has a National Central Bureau).",
        "GA-2014": "Endorsed the 2014 Global Alliance ministers' declaration on online child sexual abuse "
                   "investigations (Washington, 30 September 2014).",
    },
    "budapest_status": {
        "party": "Ratified or acceded to the Convention on Cybercrime (ETS 185).",
        "signatory": "Signed the Convention but has not ratified it.",
        "invited": "Invited to accede, not yet a party.",
        "none": "Neither signed nor invited.",
    },
    "un_status": {
        "party": "Ratified, accepted or acceded to the UN Convention against Cybercrime.",
        "signatory": "Signed the UN Convention against Cybercrime (opened for signature in Hanoi on "
                     "25 October 2025), not ratified.",
        "none": "Has not signed (by the newest source read).",
    },
    "agreement_status": {
        "in-force": "The agreement is in force.",
        "signed": "Signed, not yet in force.",
        "negotiating": "Negotiations announced, nothing signed.",
    },
    "provider_status": {
        "active": "The service operates.",
        "closed": "The service has shut down; the entry is kept for historical requests.",
    },
    "protocol_status": {
        "party": "Ratified the protocol.",
        "signatory": "Signed the protocol, not ratified.",
        "none": "Neither signed nor ratified.",
    },
    "retention_status": {
        "in-force": "A general data retention obligation is in force.",
        "annulled": "A retention law existed but a court annulled it (give the date and court).",
        "repealed": "A retention law existed and was repealed by the legislature.",
        "partial": "Retention applies only to some providers or data categories, or only on order.",
        "pending": "A retention law is being drafted or awaits entry into force.",
        "none": "No general retention obligation.",
        "unknown": "No source says which of the above applies.",
    },
    "access": {
        "public": "The source publishes the contact openly.",
        "restricted": "The contact is only in a restricted directory; say who may get access and how.",
    },
    "channel_kind": {
        "24-7": "The Budapest Art. 35 24/7 point of contact or an equivalent network point.",
        "police": "A police unit (cybercrime, child protection) that takes urgent requests.",
        "interpol": "The INTERPOL National Central Bureau.",
        "europol": "Europol or a national Europol unit.",
        "prosecutor": "A prosecution service unit.",
        "hotline": "A public reporting hotline for child sexual abuse material (INHOPE and others).",
        "helpline": "A child helpline.",
        "portal": "An online portal for requests.",
    },
    "entity_role": {
        "parent": "The parent company that operates the service.",
        "operator": "The company that provides the service to some users (e.g. an EU establishment).",
        "eu-establishment": "Main establishment in the EU.",
        "legal-representative": "Legal representative designated under EU or national law.",
        "subsidiary": "Another affiliated company.",
    },
    "answer": {
        "yes": "Yes.",
        "no": "No.",
        "partial": "In some cases or for some data only (explain in the note).",
        "unknown": "No source says.",
    },
}
