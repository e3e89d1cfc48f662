"""Is a local authority named by a user the same as another (R7, R51)? Pure.

Users name an authority as they speak of it: "Staffordshire", "staffordshire county council",
"The Staffordshire County Council ". All of these are the authority the profile names
"Staffordshire County Council", so none of them makes a case cross-border (R7). The
comparison folds letter case and spacing (as names are folded for R11a, domain/text.py),
drops a leading "the" and one trailing council suffix ("County Council", "City Council",
"Borough Council", "Council", ...). It never guesses beyond that: "Staffordshire Moorlands
District Council" is another authority, and so is "Stoke-on-Trent City Council".
"""

from __future__ import annotations

from lado_cli.domain.text import name_key

#: Suffixes naming the kind of council, longest first so that "county borough council" is
#: taken whole rather than as "council".
COUNCIL_SUFFIXES = (
    "metropolitan borough council", "royal borough council", "county borough council", "metropolitan district council",
    "county council", "city council", "borough council", "district council", "unitary council", "council",
)  # fmt: skip


def authority_key(name: str) -> str:
    """The part of an authority's name that identifies it: "Staffordshire" for
    "the Staffordshire County Council". Never empty for a non-blank name ("Council" stays)."""
    key = name_key(name).strip(" .,")
    if key.startswith("the "):
        key = key[4:].lstrip()
    for suffix in COUNCIL_SUFFIXES:
        if key.endswith(" " + suffix):
            return key[: -len(suffix) - 1].rstrip(" ,")
    return key


def same_authority(a: str | None, b: str | None) -> bool:
    """Whether two names stand for the same local authority (R7: "is this authority ours").
    A missing or blank name is no authority, the same as none."""
    if a is None or b is None or not a.strip() or not b.strip():
        return False
    return authority_key(a) == authority_key(b)
