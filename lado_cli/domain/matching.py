"""Explainable matching of one person across records (R11a). Pure: no I/O, no clock.

A person is an `Identity`: their names (the recorded one first, then any known-as or previous
names), a date of birth if known, and an employer. `compare` scores two identities and says
why in words; `band` turns the score into "strong" / "possible" / None with the profile's
thresholds. `blocking_keys` gives the short keys a store indexes so that candidates are found
without reading every row; `query_keys` gives the keys a search looks up (with the close
variants: day and month swapped, year off by one, short forms of given names).

Scoring (points, summed over the best pair of names):
  surname   same +0.40; sounds alike or one letter apart (Smyth ~ Smith) +0.30; else 0
  first     same +0.30; short form / same given name (Jon, Jonathan) +0.25; close spelling
            +0.20; initial agrees +0.10; different -0.20
  birth     same +0.30; day and month swapped +0.20; year off by one +0.15; either not
            known +0.05; different -0.30
  employer  same +0.10
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from lado_cli.domain.text import name_key

_WORD = re.compile(r"[^\w\s-]")


def tokens(name: str) -> list[str]:
    """A name's words for matching: the R11a key, apostrophes and full stops out, hyphenated
    surnames kept whole ("O'Brien" -> "obrien"; "Smith-Jones" stays one word)."""
    from unicodedata import combining, normalize

    key = normalize("NFKD", name_key(name))
    key = "".join(ch for ch in key if not combining(ch))
    return [w for w in _WORD.sub("", key).split() if w.strip("-")]


def parse_nicknames(text: str) -> list[tuple[str, ...]]:
    """Groups from the CSV form (one group a line, `#` comments)."""
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names = tuple(dict.fromkeys(t for n in line.split(",") for t in tokens(n)))
            if len(names) > 1:
                groups.append(names)
    return groups


@functools.cache
def shipped_nicknames() -> tuple[tuple[str, ...], ...]:
    from importlib.resources import files

    return tuple(parse_nicknames(files("lado_cli.data").joinpath("nicknames.csv").read_text(encoding="utf-8")))


class Nicknames:
    """Which given names are forms of one another: each name maps to its groups' full names."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self.groups: dict[str, set[str]] = {}
        for g in groups:
            full = g[0]
            for n in g:
                self.groups.setdefault(n, set()).add(full)

    def canon(self, given: str) -> set[str]:
        """The full names `given` is a form of (itself when it is in no group)."""
        return self.groups.get(given) or {given}

    def related(self, a: str, b: str) -> bool:
        return a != b and bool(self.canon(a) & self.canon(b))


@functools.cache
def default_nicknames(extra: tuple[tuple[str, ...], ...] = ()) -> Nicknames:
    own = [tuple(t for n in g for t in tokens(n)) for g in extra]  # a profile's names, folded like any name
    return Nicknames([*shipped_nicknames(), *own])


@dataclass(frozen=True)
class Identity:
    names: tuple[str, ...]  # the recorded name first, then known-as / previous names
    dob: date | None = None
    employer: str | None = None
    ref: str | None = None  # the case it comes from, if stored


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[str, ...]
    name: str  # the stored name the best pair used (maybe a known-as name)


@dataclass(frozen=True)
class Thresholds:
    strong: float = 0.8
    possible: float = 0.55


@functools.lru_cache(maxsize=1 << 16)  # an import compares the same names many times (R11a on import)
def phonetic(word: str) -> str:
    import jellyfish

    return jellyfish.metaphone(word) or word


def _close(a: str, b: str) -> bool:
    """Spellings a person might confuse: sound alike (metaphone) or one edit apart in a
    word of 5+ letters (Jaro-Winkler similarity 0.9 and more)."""
    if phonetic(a) == phonetic(b):
        return True
    if min(len(a), len(b)) < 4:
        return False
    jaro_winkler, levenshtein = _distances()
    return levenshtein.distance(a, b) <= 1 or jaro_winkler.similarity(a, b) >= 0.92


@functools.cache
def _distances():
    """rapidfuzz's distances, imported once when first needed (an import compares many pairs)."""
    from rapidfuzz.distance import JaroWinkler, Levenshtein

    return JaroWinkler, Levenshtein


@functools.lru_cache(maxsize=1 << 16)
def _split(name: str) -> tuple[str, str, tuple[str, ...]]:
    w = tokens(name)
    if not w:
        return "", "", ()
    return w[0], w[-1], tuple(w)


def _names_score(a: str, b: str, nick: Nicknames) -> tuple[float, list[str]]:
    fa, sa, wa = _split(a)
    fb, sb, wb = _split(b)
    if not wa or not wb:
        return 0.0, []
    score, why = 0.0, []
    show = lambda w: w[:1].upper() + w[1:]  # noqa: E731
    parts_a = set(sa.split("-")) | {sa}
    parts_b = set(sb.split("-")) | {sb}
    if sa == sb:
        score += 0.4
        why.append("same surname")
    elif parts_a & parts_b:
        score += 0.3
        why.append(f"surname {show(sa)} ~ {show(sb)} (double-barrelled)")
    elif _close(sa, sb):
        score += 0.3
        why.append(f"surname {show(sa)} ~ {show(sb)}")
    else:
        why.append(f"surname {show(sa)} differs from {show(sb)}")
    if len(wa) == 1 or len(wb) == 1:  # one word only: nothing more to compare
        return score, why
    if fa == fb:
        score += 0.3
        why.append("same first name")
    elif nick.related(fa, fb):
        score += 0.25
        short, long_ = sorted((fa, fb), key=len)
        if long_ in nick.canon(short):
            why.append(f"first name {show(short)} is a short form of {show(long_)}")
        else:
            why.append(f"first names {show(fa)} and {show(fb)} are forms of the same name")
    elif _close(fa, fb):
        score += 0.2
        why.append(f"first name {show(fa)} ~ {show(fb)}")
    elif len(fa) == 1 or len(fb) == 1:
        if fa[0] == fb[0]:
            score += 0.1
            why.append(f"initial {fa[0].upper()} agrees")
        else:
            score -= 0.2
            why.append("initials differ")
    else:
        score -= 0.2
        why.append(f"first name {show(fa)} differs from {show(fb)}")
    return score, why


def dob_relation(a: date | None, b: date | None) -> str:
    """same | swapped (day and month) | year-off (by one, same day and month) | unknown | different."""
    if a is None or b is None:
        return "unknown"
    if a == b:
        return "same"
    if a.day == b.month and a.month == b.day and a.year == b.year:
        return "swapped"
    if a.day == b.day and a.month == b.month and abs(a.year - b.year) == 1:
        return "year-off"
    return "different"


_DOB = {
    "same": (0.3, "same date of birth"),
    "swapped": (0.2, "date of birth with day and month swapped"),
    "year-off": (0.15, "date of birth a year apart, same day and month"),
    "unknown": (0.05, "date of birth not known on one record: check"),
    "different": (-0.3, "different date of birth"),
}


def compare(a: Identity, b: Identity, nick: Nicknames) -> Match:
    """How alike two identities are, with the reasons in words (best pair of names)."""
    best: tuple[float, list[str], str] | None = None
    for i, na in enumerate(a.names):
        for j, nb in enumerate(b.names):
            s, why = _names_score(na, nb, nick)
            if i or j:
                why = [*why, f"through the known-as name {nb if j else na}"]
            if best is None or s > best[0]:
                best = (s, why, nb)
    score, why, name = best or (0.0, [], b.names[0] if b.names else "")
    pts, words = _DOB[dob_relation(a.dob, b.dob)]
    score += pts
    why = [words, *why]
    if a.employer and b.employer and name_key(a.employer) == name_key(b.employer):
        score += 0.1
        why.append("same employer")
    return Match(round(score, 2), tuple(why), name)


def band(score: float, t: Thresholds) -> str | None:
    """strong at or above `t.strong`; possible at or above `t.possible`; else None."""
    if score >= t.strong:
        return "strong"
    if score >= t.possible:
        return "possible"
    return None


# -- blocking ---------------------------------------------------------------------------


def _given_keys(first: str, nick: Nicknames) -> set[str]:
    return {phonetic(c) for c in nick.canon(first)} | {phonetic(first)}


def blocking_keys(ident: Identity, nick: Nicknames) -> set[str]:
    """Keys stored for an identity. Any true variant (see `query_keys`) shares one of them."""
    out: set[str] = set()
    d = ident.dob.isoformat() if ident.dob else "?"
    for n in ident.names:
        first, sur, words = _split(n)
        if not words:
            continue
        out.add(f"s:{phonetic(sur)}|{d}")  # surname + birth: catches every first-name variant
        out.add(f"n:{phonetic(sur)}")  # surname alone: births unknown or far apart (checked)
        for g in _given_keys(first, nick):
            out.add(f"g:{g}|{d}")  # given name + birth: catches surname changes
    return out


def dob_variants(dob: date | None) -> list[date]:
    if dob is None:
        return []
    out = [dob]
    if dob.day <= 12 and dob.day != dob.month:
        out.append(date(dob.year, dob.day, dob.month))
    for dy in (-1, 1):
        try:
            out.append(dob.replace(year=dob.year + dy))
        except ValueError:
            pass
    return list(dict.fromkeys(out))


def query_keys(ident: Identity, nick: Nicknames) -> set[str]:
    """Keys to look up for an identity: its own, for each close date of birth and for a
    stored record whose date of birth is not known. With no date of birth: the surname alone."""
    out: set[str] = set()
    births = [d.isoformat() for d in dob_variants(ident.dob)] + ["?"]
    for n in ident.names:
        first, sur, words = _split(n)
        if not words:
            continue
        if ident.dob is None:
            out.add(f"n:{phonetic(sur)}")
            continue
        for d in births:
            out.add(f"s:{phonetic(sur)}|{d}")
            for g in _given_keys(first, nick):
                out.add(f"g:{g}|{d}")
    return out


# -- pseudonymous index tokens (across authorities) ----------------------------------------


def index_tokens(ident: Identity, nick: Nicknames, *, variants: bool) -> set[str]:
    """Identity tokens for a keyed hash: given name (its full forms) + surname sound + date of
    birth. Without a date of birth nothing is exported (a name alone is too common).
    `variants`: the close dates of birth too (at query time)."""
    out: set[str] = set()
    births = dob_variants(ident.dob) if variants else ([ident.dob] if ident.dob else [])
    for n in ident.names:
        first, sur, words = _split(n)
        if len(words) < 2:
            continue
        for d in births:
            for g in _given_keys(first, nick):
                out.add(f"{d.isoformat()}|{g}|{phonetic(sur)}")
    return out


def hmac_token(key: bytes, token: str) -> str:
    import hashlib
    import hmac

    return hmac.new(key, token.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def key_id(key: bytes) -> str:
    """A public fingerprint of the shared key: index files made with another key are refused."""
    return hmac_token(key, "lado index key id")[:16]

