"""Newer format rules: citations in the same sentence, 'not applicable', YAML booleans for answers."""
from __future__ import annotations

import datetime as dt

from kb.schema import check, sentence_spans

TODAY = dt.date(2026, 11, 28)
DE = "countries/de.md"


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(root):
    return [f"{p.path}:{p.line}: {p.field}: {p.message}" for p in check(root, TODAY).problems]


def test_check_reports_period_in_a_sentence_without_its_own_citation(content_dir):
    edit(content_dir, DE, "Data can be frozen for 90 days [@fx-law].",
         "Data can be frozen [@fx-law]. An extension adds 30 days.")
    found = [m for m in messages(content_dir) if "30 days" in m]
    assert found and "this sentence gives a period ('30 days') without citing a source" in found[0]
    assert found[0].startswith("countries/de.md:55: section preservation")


def test_check_accepts_citation_right_after_the_full_stop(content_dir):
    edit(content_dir, DE, "Data can be frozen for 90 days [@fx-law].", "Data can be frozen for 90 days. [@fx-law]")
    assert messages(content_dir) == []


def test_sentences_do_not_split_at_abbreviations():
    text = "Under Art. 29 and s. 88G the order runs 90 days (see Nr. 3, Blv. Curri) [@x]. Next one."
    spans = sentence_spans(text)
    assert len(spans) == 2 and text[spans[0][0]:spans[0][1]].rstrip().endswith("[@x].")


def test_value_marked_not_applicable_becomes_a_sourced_fact(content_dir):
    edit(content_dir, DE, "  status: annulled\n",
         "  status: annulled\n  months: {not_applicable: \"The duty was annulled.\", source: fx-old}\n")
    checked = check(content_dir, TODAY)
    assert checked.problems == []
    fact = next(f for f in checked.facts if f.field == "retention.months")
    assert (fact.value, fact.note, fact.sources) == ("Not applicable", "The duty was annulled.", ["fx-old"])


def test_not_applicable_without_a_reason_is_reported_with_line(content_dir):
    edit(content_dir, DE, "  status: annulled\n",
         "  status: annulled\n  months: {not_applicable: \"\", source: fx-old}\n")
    found = [m for m in messages(content_dir) if "not_applicable" in m]
    assert found and "expected a sentence saying why this does not apply" in found[0]
    assert found[0].startswith("countries/de.md:30:")


def test_group_can_be_marked_not_applicable(content_dir):
    edit(content_dir, DE, "retention:\n  status: annulled\n  annulled: 2017-06-22\n",
         "retention:\n  not_applicable: \"No such regime.\"\n")
    checked = check(content_dir, TODAY)
    assert checked.problems == []
    assert any(f.field == "retention.not_applicable" and f.value == "No such regime." for f in checked.facts)


def test_unquoted_yes_for_an_answer_is_read_as_yes(content_dir):
    edit(content_dir, DE, "retention:\n", "legal_process:\n  foreign_direct: yes\n  source: fx-law\nretention:\n")
    checked = check(content_dir, TODAY)
    assert checked.problems == []
    assert any(f.field == "legal_process.foreign_direct" and f.value == "yes" for f in checked.facts)
