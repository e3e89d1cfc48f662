"""Text as people mean it: one normal form for storing, one key for matching names (R11a),
and one way of showing text on a terminal without letting it hide or reorder itself.

Pure: no I/O. Three uses, three functions:

- `clean`: what is stored and shown is what was typed, in Unicode NFC ("Zoë" typed as
  "o" + combining diaeresis is stored as the one character "ë"; it looks the same).
- `name_key`: the key earlier records are matched on (R11a). Two spellings a person would
  call the same name get the same key: any letter case, spacing, composed or decomposed
  accents, compatibility forms (full-width letters), invisible characters, curly or
  straight apostrophes, and the many hyphens and dashes.
- `visible`: text for the terminal. Control characters, bidirectional controls and other
  invisible format characters are shown as visible marks, never obeyed: "\\u202e" cannot
  turn "exe.gnp" round, a zero-width space cannot make two names look alike.
"""

from __future__ import annotations

import re
import unicodedata

# Every format character (Unicode category Cf): zero-width space, non-joiner and joiner
# (U+200B-U+200D), word joiner (U+2060), byte order mark (U+FEFF), soft hyphen (U+00AD),
# bidirectional marks, embeddings, overrides and isolates (U+200E/F, U+202A-U+202E,
# U+2066-U+2069, U+061C), invisible operators, interlinear annotation, tags (U+E0000 block).
# Written out so that importing this module stays fast; a test checks it against unicodedata.
FORMAT_CHARS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_INVISIBLE = re.compile(f"[{FORMAT_CHARS}]")

# Apostrophes and what is typed for one: right and left single quotation marks (Word's
# "smart quotes"), modifier letter apostrophe and turned comma, grave and acute accents,
# prime, reversed quotation mark. All become "'" in a name key.
APOSTROPHES = "\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032\u201b"
# Hyphens and dashes: hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal
# bar, minus sign, small and full-width hyphen-minus. All become "-" in a name key.
HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_FOLD = str.maketrans({**dict.fromkeys(APOSTROPHES, "'"), **dict.fromkeys(HYPHENS, "-")})
_AROUND_HYPHEN = re.compile(r" ?- ?")

# What `visible` shows differently: C0 controls but tab and newline, DEL, C1 controls, the
# line and paragraph separators, and every format character.
_SHOWN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{FORMAT_CHARS}]")
_ZWJ = "\u200d"


def clean(text: str) -> str:
    """Text to store and show as typed: Unicode NFC, nothing stripped or changed beyond it."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def strip_invisible(text: str) -> str:
    """Text without its invisible format characters (zero-width, soft hyphen, BOM, bidi controls, tags)."""
    return _INVISIBLE.sub("", text)


def name_key(name: str) -> str:
    """A name folded for matching earlier records (R11a). These share a key: "Zoë", "ZOË"
    and "Zoe\\u0308"; "SamCarter" and "Sam\\u200bCarter" (which looks the same); "O'Brien"
    and "O’Brien"; "Smith-Jones", "Smith – Jones" and "smith‐jones"; "Ann  Lee" and "ann lee"."""
    if name.isascii():  # the common case, kept fast (imports key every row): ASCII is already NFKC, with no Cf
        key = " ".join(name.lower().split())
        if "`" in key:
            key = key.replace("`", "'")
    else:
        key = strip_invisible(unicodedata.normalize("NFKC", name))
        key = " ".join(unicodedata.normalize("NFKC", key.casefold()).translate(_FOLD).split())
    return _AROUND_HYPHEN.sub("-", key) if "-" in key else key


def _escape(m: re.Match[str]) -> str:
    code = ord(m[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures: "\x1b" shows as "␛"
    if code == 0x7F:
        return "\u2421"  # ␡
    if m[0] == _ZWJ:  # an emoji sequence (👩‍👧, 🏳️‍🌈) is joined by U+200D: shown as it is
        text, at = m.string, m.start()
        before = text[at - 1] if at else ""
        after = text[at + 1] if at + 1 < len(text) else ""
        if before and after and (unicodedata.category(before) == "So" or before == "\ufe0f") and unicodedata.category(after) == "So":
            return _ZWJ
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """Text for a terminal: control characters (but tab and newline) as their pictures
    ("\\x1b" as "␛"); C1 controls, line separators, bidi controls and other invisible
    format characters as "<U+202E>"-style marks. Nothing in it is obeyed by the terminal
    or hidden from the reader."""
    return _SHOWN.sub(_escape, text)


REDACTED = "[redacted]"
_NAME_SPLIT = re.compile(f"[\\s{HYPHENS}-]+")
_GAP = f"[{FORMAT_CHARS}]*"  # invisible characters typed inside a word still match it


def _letters(word: str) -> str:
    """A pattern for `word` in any letter case, any apostrophe or hyphen, invisible characters inside."""
    out = []
    for ch in word:
        if ch in "'" + APOSTROPHES:
            out.append(f"['{APOSTROPHES}]")
        elif ch in "-" + HYPHENS:
            out.append(f"[\\-{HYPHENS}]")
        elif ch.isspace():
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return _GAP.join(out)


def name_parts(name: str) -> list[str]:
    """A name as typed (NFC, invisible characters out) and each of its parts of two or more
    characters: "Amy-Jo O'Brien" gives "Amy-Jo O'Brien", "Amy", "Jo", "O'Brien". Initials
    ("J") are not parts: a one-letter word cannot be told from "a" or "I" in a sentence."""
    whole = " ".join(strip_invisible(clean(name)).split())
    parts = [p for p in _NAME_SPLIT.split(whole) if len(p.strip("'" + APOSTROPHES)) >= 2]
    return [whole, *parts] if whole else []


def redact(text: str, names: list[str], mark: str = REDACTED) -> str:
    """`text` (in NFC) with every whole name in `names`, and every part of each (first names,
    surnames alone), replaced by `mark`: any letter case, curly or straight apostrophe, any
    hyphen or dash, with invisible characters inside. Whole words only ("Amy" stays in
    "Amyas"); a possessive keeps its "'s" ("Sam's" becomes "[redacted]'s")."""
    words = sorted({w for n in names if n for w in name_parts(n)}, key=len, reverse=True)
    if not words or not text:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(_letters(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    return pattern.sub(mark, clean(text))
