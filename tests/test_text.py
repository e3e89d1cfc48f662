"""Text normalisation (lado_cli.domain.text) and the one CSV writer (lado_cli.domain.csvsafe),
as pure functions (issue 12, item 5). The commands that use them: tests/test_hygiene.py."""

from __future__ import annotations

import csv
import io
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lado_cli.domain.csvsafe import cell_text, neutralise, row_text, unneutralise
from lado_cli.domain.text import FORMAT_CHARS, clean, name_key, name_parts, redact, strip_invisible, visible

TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)


# -- clean: NFC, nothing else -------------------------------------------------------------------


def test_clean_is_nfc_and_strips_nothing_else():
    assert clean("Zoe\u0308") == "Zo\u00eb"  # decomposed ë becomes the one character
    assert clean("  Sam\u200b \t") == "  Sam\u200b \t"  # spaces and invisible characters stay: stored as typed
    assert clean("\ufb01") == "\ufb01"  # the ligature "ﬁ" is not a compatibility-folded "fi" (NFC, not NFKC)


# -- strip_invisible: every format character, nothing visible -----------------------------------


def test_format_chars_cover_every_format_character_unicode_knows():
    missing = [f"U+{c:04X}" for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf" and strip_invisible(chr(c))]
    assert missing == []


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202a", "\u202b",
                                  "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\U000e0041"])  # fmt: skip
def test_strip_invisible_removes_each_named_character(char):
    assert strip_invisible(f"Sam{char}Carter") == "SamCarter"


def test_strip_invisible_keeps_visible_text():
    text = "Zoë O’Brien-Smith\tדוד 😀\n"
    assert strip_invisible(text) == text
    assert "\u00ad" not in FORMAT_CHARS.replace("\u00ad", "") and " " not in FORMAT_CHARS


# -- name_key: what a person would call the same name (R11a) -------------------------------------

SAME = [
    ("Zo\u00eb Carter", "Zoe\u0308 Carter"),  # NFC and NFD
    ("Sam\u200bCarter", "SamCarter"),  # a zero-width space
    ("O'Brien", "O\u2019Brien"),  # straight and curly apostrophe
    ("O'Brien", "O\u2018Brien"),
    ("O'Brien", "O\u02bcBrien"),  # modifier letter apostrophe
    ("O'Brien", "O`Brien"),
    ("Smith-Jones", "Smith\u2013Jones"),  # en dash
    ("Smith-Jones", "Smith \u2010 Jones"),  # hyphen with spaces round it
    ("Smith-Jones", "smith\u2011jones"),  # non-breaking hyphen
    ("Smith-Jones", "Smith\u2212Jones"),  # minus sign
    ("Car\u00adter", "Carter"),  # soft hyphen
    ("\u202eAnn Lee\u202c", "Ann Lee"),  # bidi override
    ("\ufeffAnn Lee", "Ann Lee"),  # byte order mark
    ("  JOHN   smith ", "John Smith"),  # case and spacing, as before
    ("John\u00a0Smith", "John Smith"),  # no-break space
    ("\uff2a\uff4f\uff48\uff4e", "John"),  # full-width letters (NFKC)
    ("STRASSE", "straße"),  # casefold, not lower
]
DIFFERENT = [
    ("Zoe", "Zoë"),  # an accent is part of the name
    ("Sam Carter", "SamCarter"),  # a space is a word break; a zero-width space is not seen as one
    ("O Brien", "O'Brien"),
    ("Smith Jones", "Smith-Jones"),
    ("Ann Lee", "Anne Lee"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_names_a_person_would_call_the_same_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_name_key_by_hand():
    assert name_key(" Zoe\u0308  O\u2019BRIEN\u200b \u2013 Smith ") == "zo\u00eb o'brien-smith"


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_name_key_is_stable(text):
    key = name_key(text)
    assert name_key(key) == key  # a key is its own key: keys stored by one version match the next
    assert not strip_invisible(key) != key and key == key.strip()


def test_the_referral_module_uses_this_key():
    from lado_cli.domain import referral

    assert referral.name_key is name_key


# -- visible: nothing obeyed, nothing hidden ------------------------------------------------------


@pytest.mark.parametrize(("text", "shown"), [
    ("a\x1b[2Jb", "a\u241b[2Jb"),  # C0 controls: the control pictures
    ("\x00\x07\x7f", "\u2400\u2407\u2421"),
    ("tab\there\nnext", "tab\there\nnext"),  # tab and newline are layout, kept
    ("\x9b31m", "<U+009B>31m"),  # C1 controls
    ("Ann \u202egnp.exe\u202c", "Ann <U+202E>gnp.exe<U+202C>"),  # bidi override
    ("Sam\u200bCarter", "Sam<U+200B>Carter"),  # zero-width space
    ("Car\u00adter", "Car<U+00AD>ter"),  # soft hyphen
    ("\ufeffAnn", "<U+FEFF>Ann"),
    ("a\u2028b", "a<U+2028>b"),  # line separator
    ("x\u200dy", "x<U+200D>y"),  # a joiner between letters is hidden text
    ("\U0001f469\u200d\U0001f467", "\U0001f469\u200d\U0001f467"),  # ...but joins an emoji family: kept
    ("\U0001f3f3\ufe0f\u200d\U0001f308", "\U0001f3f3\ufe0f\u200d\U0001f308"),  # rainbow flag (after VS16): kept
    ("\u200d\U0001f308", "<U+200D>\U0001f308"),  # nothing before it: shown
    ("\U0001f308\u200d", "\U0001f308<U+200D>"),  # nothing after it: shown
    ("Zoë דוד محمد", "Zoë דוד محمد"),
])  # fmt: skip
def test_visible(text, shown):
    assert visible(text) == shown


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_visible_output_has_no_control_or_format_character_but_emoji_joiners(text):
    out = visible(text)
    for i, ch in enumerate(out):
        cat = unicodedata.category(ch)
        if ch in "\t\n" or (ch == "\u200d" and 0 < i < len(out) - 1):
            continue
        assert cat not in ("Cc", "Cf", "Zl", "Zp"), (text, out, ch)


def test_cli_views_use_the_one_visible():
    from lado_cli.cli import views

    assert views.visible is visible


# -- redact: every part of every name (R26) -------------------------------------------------------


def test_name_parts_by_hand():
    assert name_parts("Amy-Jo  O\u2019Brien\u200b") == ["Amy-Jo O\u2019Brien", "Amy", "Jo", "O\u2019Brien"]
    # One letter is an initial, not a part; two letters are ("Jo", "Li"): the edge.
    assert name_parts("J Li") == ["J Li", "Li"]
    assert name_parts("   ") == []


@pytest.mark.parametrize(("text", "out"), [
    ("Amy O'Brien said", "[redacted] said"),  # the whole name: one mark
    ("amy said", "[redacted] said"),  # first name alone, any case
    ("OBRIEN and O\u2019BRIEN and o'brien", "OBRIEN and [redacted] and [redacted]"),  # apostrophe variants
    ("Amy's mum; Amy\u2019s dad", "[redacted]'s mum; [redacted]\u2019s dad"),  # possessives keep 's
    ("A\u200bmy told", "[redacted] told"),  # invisible characters inside
    ("Amyas and Tamy stay", "Amyas and Tamy stay"),  # whole words only
    ("Jo and J", "[redacted] and J"),  # a two-letter part goes, the initial stays
    ("Amy\u2013Jo here", "[redacted] here"),  # a hyphenated first name with an en dash
    ("Zoe\u0308 came", "[redacted] came"),  # NFD text, NFC name
])  # fmt: skip
def test_redact(text, out):
    assert redact(text, ["Amy O'Brien", "Amy-Jo", "J Jo", "Zoë"]) == out


def test_redact_with_no_names_keeps_text():
    assert redact("Amy", []) == "Amy" and redact("", ["Amy"]) == ""


# -- the CSV writer -------------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "out"), [
    ("=1+1", "'=1+1"), ("+44 7700", "'+44 7700"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\rx", "'\rx"), ("\nx", "'\nx"), ("\x00x", "'\x00x"),  # OWASP's list, and NUL (ASVS)
    ("  =1+1", "'  =1+1"), ("\u00a0=1", "'\u00a0=1"),  # after leading spaces: some spreadsheets trim them
    ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign
    ("'=1", "''=1"), ("''@x", "'''@x"),  # already starting with apostrophes: one more, so import gives it back
    ("a=1", "a=1"), ("O'Brien", "O'Brien"), ("'", "'"), ("'x", "'x"), ("", ""), (" x", " x"), ("x-1", "x-1"),
])  # fmt: skip
def test_neutralise(cell, out):
    assert neutralise(cell) == out
    assert unneutralise(out) == cell


def test_unneutralise_keeps_cells_export_never_wrote():
    assert unneutralise("'x") == "'x" and unneutralise("'") == "'" and unneutralise("x'=1") == "x'=1"
    assert unneutralise("'=1") == "=1"  # a spreadsheet's own text marker, typed by hand


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_unneutralise_undoes_neutralise(text):
    assert unneutralise(neutralise(text)) == text


def test_numbers_lado_computes_are_not_prefixed_but_text_is():
    assert cell_text(-3) == "-3" and cell_text(-2.5) == "-2.5" and cell_text("-3") == "'-3"
    assert cell_text(None) == "" and cell_text(True) == "True"


@pytest.mark.parametrize(("cell", "out"), [
    ("a\rb", '"a\rb"'), ("a\nb", '"a\nb"'), ("a,b", '"a,b"'), ('say "hi"', '"say ""hi"""'), ("plain", "plain"),
])  # fmt: skip
def test_cells_with_line_breaks_commas_or_quotes_are_quoted(cell, out):
    assert cell_text(cell) == out


def test_one_empty_cell_is_not_an_empty_line():
    assert row_text([""]) == '""\n' and row_text(["", ""]) == ",\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5), st.sampled_from(["\n", "\r\n"]))
def test_a_row_reads_back_as_one_row_of_the_same_cells(cells, end):
    rows = list(csv.reader(io.StringIO(row_text(cells, end), newline="")))
    assert rows == [[neutralise(c) for c in cells]]
    assert [unneutralise(c) for c in rows[0]] == cells


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=0x7F), max_size=30))
def test_the_ascii_fast_path_gives_the_full_key(text):
    assert name_key(text) == name_key(text + "\u200b")  # the zero-width space forces the full path, and is stripped
