"""R11a matching, pure: scores and reasons worked by hand, band edges, blocking keys, and a
generated labelled set of pairs (true variants and hard non-matches) with recall and precision held."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from lado_cli.domain import matching as m

NICK = m.default_nicknames()
T = m.Thresholds(strong=0.8, possible=0.55)


def cmp(a, b, da=None, db=None, ea=None, eb=None):
    return m.compare(m.Identity(tuple(a) if isinstance(a, list) else (a,), da, ea), m.Identity(tuple(b) if isinstance(b, list) else (b,), db, eb), NICK)


D = date(1980, 2, 1)


def test_the_issue_example_scores_by_hand():
    # surname Smyth ~ Smith 0.30 + Jon short form of Jonathan 0.25 + same birth 0.30 = 0.85
    hit = cmp("Jon Smyth", "Jonathan Smith", D, D)
    assert hit.score == 0.85 and m.band(hit.score, T) == "strong"
    assert hit.reasons == ("same date of birth", "surname Smyth ~ Smith", "first name Jon is a short form of Jonathan")


@pytest.mark.parametrize(("other_dob", "points", "words"), [
    (date(1980, 1, 2), 0.2, "date of birth with day and month swapped"),
    (date(1981, 2, 1), 0.15, "date of birth a year apart, same day and month"),
    (date(1979, 2, 1), 0.15, "date of birth a year apart, same day and month"),
    (date(1982, 2, 1), -0.3, "different date of birth"),  # two years: not close
    (date(1980, 2, 2), -0.3, "different date of birth"),
    (None, 0.05, "date of birth not known on one record: check"),
])  # fmt: skip
def test_date_of_birth_relations(other_dob, points, words):
    hit = cmp("John Smith", "John Smith", D, other_dob)
    assert hit.score == round(0.4 + 0.3 + points, 2) and hit.reasons[0] == words


def test_the_same_day_and_month_is_not_a_swap():
    assert m.dob_relation(date(1980, 3, 3), date(1980, 3, 3)) == "same"
    assert m.dob_relation(date(1980, 3, 4), date(1981, 4, 3)) == "different"  # swapped and a year off: too far


def test_twins_are_not_a_match():
    # same surname 0.40 + same birth 0.30 + first names differ -0.20 = 0.50 < 0.55
    hit = cmp("Amy Bloggs", "Jo Bloggs", D, D)
    assert hit.score == 0.5 and m.band(hit.score, T) is None and "first name Amy differs from Jo" in hit.reasons


def test_band_edges_are_inclusive():
    assert m.band(0.8, T) == "strong" and m.band(0.79, T) == "possible"
    assert m.band(0.55, T) == "possible" and m.band(0.54, T) is None


def test_known_as_name_and_employer():
    # through the previous surname: same surname 0.40 + same first 0.30 + birth 0.30 + employer 0.10 = 1.10
    hit = cmp("Sarah Jones", ["Sarah Patel", "Sarah Jones"], D, D, "Oak School", "oak  school")
    assert hit.score == 1.1 and "through the known-as name Sarah Jones" in hit.reasons and "same employer" in hit.reasons
    # without it: surname differs 0 + same first 0.30 + birth 0.30 = 0.60, possible
    assert cmp("Sarah Jones", "Sarah Patel", D, D).score == 0.6


def test_accents_case_punctuation_and_invisible_characters_fold():
    assert cmp("ZOË O’BRIEN", "Zoe\u200b OBrien", D, D).reasons == ("same date of birth", "same surname", "same first name")


def test_a_profile_may_add_nickname_groups():
    extra = m.default_nicknames((("Bartholomew", "TOLLY"),))  # as a profile gives them
    a, b = m.Identity(("Tolly Green",), D), m.Identity(("Bartholomew Green",), D)
    assert m.compare(a, b, NICK).score == 0.5 and m.compare(a, b, extra).score == 0.95


def test_blocking_keys_meet_for_every_close_variant():
    stored = m.Identity(("Jonathan Smith",), D)
    for q in [("Jon Smyth", D), ("Jonathan Smith", date(1980, 1, 2)), ("Jonathan Brown", date(1981, 2, 1)), ("John Smith", None)]:
        assert m.blocking_keys(stored, NICK) & m.query_keys(m.Identity((q[0],), q[1]), NICK), q


def test_index_tokens_hit_for_short_forms_and_swaps_and_not_for_other_people():
    key = b"k" * 32
    stored = {m.hmac_token(key, t) for t in m.index_tokens(m.Identity(("Jonathan Smith",), D), NICK, variants=False)}

    def hit(name, dob):
        return bool(stored & {m.hmac_token(key, t) for t in m.index_tokens(m.Identity((name,), dob), NICK, variants=True)})

    assert hit("Jon Smyth", date(1980, 1, 2)) and hit("Jonathan Smith", date(1981, 2, 1))
    assert not hit("Amy Smith", D) and not hit("Jonathan Smith", date(1980, 2, 3)) and not hit("Jonathan Smith", None)
    assert all(len(t) == 32 for t in stored) and not any("smith" in t for t in stored)


# -- the labelled set -------------------------------------------------------------------------

FIRST = ["john", "jonathan", "robert", "elizabeth", "margaret", "william", "catherine", "michael", "sarah", "thomas",
         "james", "susan", "richard", "victoria", "daniel", "emma", "peter", "rebecca", "andrew", "nicola",
         "priya", "mohammed", "aisha", "oluwaseun", "siobhan", "wojciech", "mei", "kwame", "fatima", "dylan"]  # fmt: skip
SUR = ["smith", "jones", "taylor", "brown", "williams", "wilson", "johnson", "davies", "robinson", "wright",
       "thompson", "evans", "walker", "white", "roberts", "green", "hall", "wood", "jackson", "clarke",
       "patel", "khan", "okafor", "nowak", "obrien", "mcdonald", "chen", "singh", "murphy", "hughes"]  # fmt: skip


def _typo(rng: random.Random, w: str) -> str:
    i = rng.randrange(1, len(w))
    kind = rng.randrange(3)
    if kind == 0:
        return w[:i] + w[i + 1 :]  # a letter left out
    if kind == 1 and i < len(w) - 1:
        return w[:i] + w[i + 1] + w[i] + w[i + 2 :]  # two letters swapped
    return w[:i] + rng.choice("aeiou") + w[i + 1 :]  # a letter changed


def _short(rng: random.Random, first: str) -> str:
    forms = [n for n, g in NICK.groups.items() if first in g and n != first]
    return rng.choice(forms) if forms else first


def _dob(rng: random.Random) -> date:
    return date(1955, 1, 1) + timedelta(days=rng.randrange(45 * 365))


def labelled_pairs(n: int = 1200, seed: int = 14):
    """(a, b, same) pairs: half true variants of one adult, half hard non-matches."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        f, s, d = rng.choice(FIRST), rng.choice(SUR), _dob(rng)
        a = m.Identity((f"{f} {s}",), d)
        # a true variant: one or two of the changes people make when typing a record
        bf, bs, bd = f, s, d
        changes = rng.sample(["short", "typo", "swap", "year", "case", "unknown"], rng.choice([1, 2]))
        for c in changes:
            if c == "short":
                bf = _short(rng, bf)
            elif c == "typo" and len(bs) >= 5:
                bs = _typo(rng, bs)
            elif c == "swap" and d.day <= 12 and d.day != d.month:
                bd = date(d.year, d.day, d.month)
            elif c == "year":
                bd = d.replace(year=d.year + rng.choice((-1, 1))) if not (d.month == 2 and d.day == 29) else d
            elif c == "case":
                bf, bs = bf.upper(), bs.title()
            elif c == "unknown":
                bd = None
        pairs.append((a, m.Identity((f"{bf} {bs}",), bd), True))
        # a hard non-match
        kind = rng.randrange(4)
        if kind == 0:  # twin or sibling: same surname and birthday, another first name
            other = rng.choice([x for x in FIRST if not NICK.related(x, f) and x != f])
            b = m.Identity((f"{other} {s}",), d)
        elif kind == 1:  # a common name, another date of birth (more than a swap or a year)
            bd2 = d + timedelta(days=rng.randrange(40, 9000))
            b = m.Identity((f"{f} {s}",), bd2 if m.dob_relation(d, bd2) == "different" else d + timedelta(days=17))
        elif kind == 2:  # same birthday, another person altogether
            b = m.Identity((f"{rng.choice([x for x in FIRST if x != f and not NICK.related(x, f)])} "
                            f"{rng.choice([x for x in SUR if x != s and not m._close(x, s)])}",), d)  # fmt: skip
        else:  # a common name and a close but different birth
            bd2 = d + timedelta(days=rng.choice((1, 2, 7, 30)))
            b = m.Identity((f"{f} {s}",), bd2)
        pairs.append((a, b, False))
    return pairs


def test_the_labelled_set_holds_recall_and_precision():
    pairs = labelled_pairs()
    assert len(pairs) >= 2000 and sum(same for *_, same in pairs) == len(pairs) // 2
    tp_any = tp_strong = fp_strong = 0
    for a, b, same in pairs:
        bnd = m.band(m.compare(a, b, NICK).score, T)
        tp_any += same and bnd is not None
        tp_strong += same and bnd == "strong"
        fp_strong += (not same) and bnd == "strong"
    recall = tp_any / (len(pairs) // 2)
    precision = tp_strong / (tp_strong + fp_strong)
    print(f"recall (strong+possible) {recall:.3f}; precision (strong) {precision:.3f}")
    assert recall >= 0.95
    assert precision >= 0.9


def test_every_true_variant_is_found_by_its_blocking_keys():
    """Blocking must not lose what scoring would find: every true variant in the set that is
    banded shares a key with its original."""
    for a, b, same in labelled_pairs(400, seed=7):
        if same and m.band(m.compare(a, b, NICK).score, T):
            assert m.blocking_keys(b, NICK) & m.query_keys(a, NICK), (a, b)


@pytest.mark.parametrize(("text", "words"), [
    ("[matching]\nstrong = 0.5\npossible = 0.6\n", "matching.possible: '0.6' is above strong '0.5'"),
    ("[matching]\nstrong = 1.3\n", "matching.strong: is '1.3'"),
    ("[matching]\npossible = 0\n", "matching.possible: is '0'"),
    ("[matching]\nnicknames = [[\"Bart\"]]\n", "matching.nicknames[0]"),
    ("[matching]\nlimit = 1\n", "matching.limit: unknown key"),
])  # fmt: skip
def test_profile_matching_settings_are_checked(text, words):
    from lado_cli.errors import LadoError
    from lado_cli.profiles import default_raw, parse_profile

    with pytest.raises(LadoError) as e:
        parse_profile(text, "own.toml", base=default_raw())
    assert words in str(e.value)


def test_profile_matching_settings_apply():
    from lado_cli.profiles import default_raw, parse_profile

    p = parse_profile('[matching]\nstrong = 0.9\npossible = 0.9\nnicknames = [["Bartholomew", "Tolly"]]\n', "own.toml", base=default_raw())
    assert (p.matching.strong, p.matching.possible, p.matching.nicknames) == (0.9, 0.9, (("Bartholomew", "Tolly"),))
    assert p.to_dict()["matching"]["strong"] == 0.9
