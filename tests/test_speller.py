"""The spelling corrector on its own: a vocabulary with frequencies in, a correction out."""
from kb.speller import Speller, edit_distance

VOCAB = {"preservation": 40.0, "retention": 30.0, "germany": 20.0, "ireland": 15.0, "iceland": 5.0,
         "emergency": 25.0, "portal": 8.0, "postal": 2.0, "2703": 3.0}


def test_edit_distance_counts_a_transposition_once():
    assert edit_distance("retnetion", "retention") == 1
    assert edit_distance("germnay", "germany") == 1
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("", "abc") == 3
    assert edit_distance("kitten", "sitting") == 3


def test_corrects_a_long_word_within_two_edits():
    speller = Speller(VOCAB)
    assert speller.correct("preservatoin") == "preservation"  # two letters swapped
    assert speller.correct("presrvation") == "preservation"  # one letter missing
    assert speller.correct("emergncy") == "emergency"


def test_a_short_word_is_corrected_within_one_edit_only():
    speller = Speller(VOCAB)
    assert speller.correct("portl") == "portal"
    assert speller.correct("prtl") == ""  # two edits from portal, and under six letters


def test_prefers_the_same_first_letter_then_the_more_frequent_word():
    speller = Speller(VOCAB)
    assert speller.correct("irelan") == "ireland"  # iceland is two edits away; ireland one
    assert Speller({"cast": 9.0, "fast": 1.0}).correct("fasx") == "fast"  # same first letter wins over frequency
    assert Speller({"mast": 1.0, "cast": 9.0}).correct("xast") == "cast"  # then the more frequent word


def test_returns_nothing_when_no_word_is_close():
    assert Speller(VOCAB).correct("kalo12") == ""
    assert Speller({}).correct("germany") == ""


def test_short_words_and_numbers_are_not_offered_as_corrections():
    speller = Speller({"de": 9.0, "2703": 3.0, "germany": 1.0})
    assert speller.correct("dex") == ""
    assert speller.correct("2704") == ""
