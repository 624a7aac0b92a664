"""Every field is typed by a declared type, and every declared one-value type has its value check."""
from kb.checks.values import STRUCTURAL, VALUE_CHECKS
from kb.fields import SOURCE_FIELDS, TYPES
from kb.kinds import FIELDS


def _walk(fields, prefix=""):
    for f in fields:
        yield prefix + f.name, f
        yield from _walk(f.fields, prefix + f.name + ".")


def test_every_field_uses_a_declared_type():
    undeclared = []
    for kind, fields in list(FIELDS.items()) + [("sources", SOURCE_FIELDS)]:
        for name, f in _walk(fields):
            if f.type not in TYPES:
                undeclared.append(f"{kind}: {name} has type '{f.type}'")
            if f.type == "list" and f.item not in TYPES:
                undeclared.append(f"{kind}: {name} has item type '{f.item}'")
    assert not undeclared, "declare these types in kb.fields.TYPES: " + "; ".join(undeclared)


def test_every_declared_type_is_checked_or_structural():
    assert set(TYPES) == set(VALUE_CHECKS) | set(STRUCTURAL)
    assert all(TYPES[t].strip() for t in TYPES), "each type has help text"


def test_an_undeclared_type_is_reported_by_the_walk():
    from kb.fields import Field
    bogus = [Field("when", "datetime", "a made-up type")]
    assert [f.type for _, f in _walk(bogus) if f.type not in TYPES] == ["datetime"]
