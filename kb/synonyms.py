"""Synonym groups, as data: phrases investigators use for the same thing.

A query word found in a group is expanded to every member of the group (`kb.search`), each
member weighing SYNONYM_WEIGHT against the word typed. The offline export ships the same groups.
To add a synonym, add it to its group (or add a group); tests/test_relevance.py shows the effect.
"""
from __future__ import annotations

# Phrases investigators use for the same thing. Each group expands to all its members.
SYNONYMS: list[tuple[str, ...]] = [
    ("mla", "mlat", "mutual legal assistance", "legal assistance", "rogatory", "central authority"),
    ("247", "point of contact", "contact point", "24 hours"),
    ("isp", "provider", "osp", "service provider", "internet service provider", "platform"),
    ("retention", "storage period", "data retention", "retain", "bewaarplicht", "vorratsdatenspeicherung"),
    ("preservation", "preserve", "freeze", "quick freeze", "2703f"),
    ("emergency", "urgent", "imminent", "danger", "life", "child at risk"),
    ("subscriber", "bsi", "basic subscriber", "customer"),
    ("traffic", "non content", "metadata", "ip log", "logs"),
    ("csam", "child sexual abuse material", "child pornography", "cse"),
    ("hotline", "inhope", "report"),
    ("police", "law enforcement", "le"),
    ("budapest", "convention on cybercrime", "ets 185", "cybercrime convention"),
    ("e evidence", "production order", "2023 1543"),
    ("cloud act", "executive agreement"),
]

SYNONYM_WEIGHT = 0.7  # a synonym counts a little less than the word typed
