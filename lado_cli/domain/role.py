"""Who an installation serves (issue #11): a LADO service (the default) or a referrer's
organisation (a school, an HR team, a club, a fostering service). Saved with the database by
`lado init --role referrer --org NAME [--authority NAME]`. Pure: no I/O.

In referrer mode the words follow the referrer ("my organisation", "the LADO"), the intake
records when the LADO was told instead of assuming it (R12), and the LADO's own work (the
commands in LADO_ONLY) is refused with one line naming the role.
"""

from __future__ import annotations

from dataclasses import dataclass

from lado_cli.errors import FieldError, LadoError

LADO, REFERRER = "lado", "referrer"
ROLES = (LADO, REFERRER)

#: What only a LADO service does, refused on a referrer's database: it chairs and logs the
#: meetings (R25), takes police updates to the CPS review (R19), escalates on its own ladder
#: (R39), decides whether two records are the same person (R11a), exchanges indexes with other
#: authorities, deletes records on its retention schedule (R37b) and makes the data returns (R36).
LADO_ONLY = (
    "lado meeting", "lado police", "lado stats", "lado index", "lado match --decide",
    "lado escalate --ladder lado-to-agency", "lado retention --delete",
)


@dataclass(frozen=True)
class Installation:
    role: str = LADO
    org: str | None = None  # the referrer's organisation ("my organisation")
    authority: str | None = None  # the local authority whose LADO it refers to (default: the profile's)

    @property
    def referrer(self) -> bool:
        return self.role == REFERRER

    def describe(self, profile_name: str) -> str:
        """One line for `lado db path` and `lado profile show`."""
        if not self.referrer:
            return f"Role: LADO service ({self.authority or profile_name})"
        return f"Role: referrer, {self.org or 'organisation not named'} (refers to the LADO of {self.authority or profile_name})"

    def refuse(self, what: str) -> None:
        if self.referrer:
            raise LadoError(f"{what} is the LADO's work; this database is set up for a referrer "
                            f"({self.org or 'your organisation'}), so it is refused (the role is set with lado init --role)")  # fmt: skip


def check_role(value: str) -> str:
    role = value.strip().lower()
    if role not in ROLES:
        raise FieldError("role", value, "is not a role", "lado (a LADO service) or referrer (an organisation that refers to the LADO)")
    return role
