"""The database tables (SQLModel). Instants are stored in UTC; see `UTCDateTime`.

The schema is created and changed only by the versioned migrations in
`lado_cli/store/migrations/versions`; `tests/test_store.py` checks that they produce
exactly these tables.
"""

from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class UTCDateTime(sa.types.TypeDecorator):
    """An aware datetime, stored as UTC (naive on SQLite, timestamptz elsewhere)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; instants must be aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Case(SQLModel, table=True):
    """One referral (or advice-only consultation, R37c)."""

    __tablename__ = "cases"
    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True, max_length=40)
    ref_year: int = Field(index=True)
    ref_seq: int
    status: str = Field(index=True, max_length=20)  # open | advice-only | closed
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    received: datetime = Field(sa_type=UTCDateTime)
    concern_arose: datetime = Field(sa_type=UTCDateTime)
    happened: datetime | None = Field(default=None, sa_type=UTCDateTime)
    source: str = Field(max_length=60)
    source_detail: str | None = None
    category: str = Field(max_length=60)
    criteria: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    suitability: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    summary: str
    immediate_danger: bool = False
    out_of_hours: bool = False
    works_in: str | None = None
    cross_border: bool = False
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1
    complex: bool = False  # R18: complex cases are reviewed more often
    outcome: str | None = Field(default=None, max_length=60)  # R28
    outcome_date: date | None = None
    employment_outcome: str | None = Field(default=None, max_length=60)  # R29
    employment_outcome_date: date | None = None
    outcome_proves: bool | None = None  # R28, P§55: the evidence answers of `lado outcome` (domain/classify.py)
    outcome_disproves: bool | None = None
    outcome_deceit: bool | None = None
    outcome_no_basis: bool | None = None
    outcome_why: str | None = None  # why the outcome differs from the one the answers imply
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # last change, and by whom:
    updated_by: str | None = None  # named when a concurrent change is refused
    chain_head: str | None = Field(default=None, max_length=64)  # hash of the newest chronology entry (store/chain.py)
    restricted: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})  # only case_access roles see it
    first_raised: datetime | None = Field(default=None, sa_type=UTCDateTime)  # R42: the intake clocks run from it when known
    told_lado: datetime | None = Field(default=None, sa_type=UTCDateTime)  # referrer mode: when I told the LADO (R12)
    told_lado_via: str | None = None  # and how (phone, email, `lado send`)
    # A referral received as a file (lado-referral/1): the referrer's reference and organisation; one case per pair.
    their_ref: str | None = Field(default=None, max_length=40)
    their_org: str | None = Field(default=None, max_length=200)
    __table_args__ = (sa.Index("ix_cases_their_org_ref", "their_org", "their_ref", unique=True),)


class Subject(SQLModel, table=True):
    """The adult the allegation is about, as described in this case (R11)."""

    __tablename__ = "subjects"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", unique=True)
    name: str
    name_key: str = Field(index=True)  # folded for R11a matching
    dob: date | None = None
    role: str
    employment: str = Field(max_length=60)
    status: str | None = Field(default=None, max_length=60)
    address: str | None = None
    regulator: str | None = None


class Employer(SQLModel, table=True):
    __tablename__ = "employers"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", unique=True)
    name: str | None = None
    sector: str = Field(max_length=60)


class Child(SQLModel, table=True):
    __tablename__ = "children"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    position: int
    name: str
    name_key: str = Field(index=True)
    dob: date | None = None
    address: str | None = None  # R11
    social_worker: str | None = None  # R44, R32


class Referrer(SQLModel, table=True):
    __tablename__ = "referrers"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", unique=True)
    name: str
    role: str
    organisation: str
    contact: str


class Deadline(SQLModel, table=True):
    """A time limit. Due and met instants are stored; overdue is derived at read time."""

    __tablename__ = "deadlines"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=40)
    rule: str = Field(max_length=10)
    due: datetime = Field(sa_type=UTCDateTime, index=True)
    target: datetime | None = Field(default=None, sa_type=UTCDateTime)
    met_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    not_applicable: bool = False
    owner: str | None = None
    note: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    title: str | None = None  # what an action (R20) asks for
    meeting_id: int | None = Field(default=None, foreign_key="meetings.id")
    escalation_id: int | None = Field(default=None, foreign_key="escalations.id")
    reason: str | None = None  # why it was set aside as not applicable (PROCEDURE §3)


class Event(SQLModel, table=True):
    """The append-only chronology (R34, R37a): who, when, what and why."""

    __tablename__ = "events"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)  # when it happened
    recorded_at: datetime = Field(sa_type=UTCDateTime)  # when it was typed in
    actor: str
    kind: str = Field(max_length=40)
    text: str
    rationale: str | None = None
    corrects_id: int | None = Field(default=None, foreign_key="events.id")
    prev_hash: str | None = Field(default=None, max_length=64)  # the hash chain (store/chain.py)
    hash: str | None = Field(default=None, max_length=64)


class Discussion(SQLModel, table=True):
    """The initial discussion (R21-R24): threshold, routes, considerations, suspension."""

    __tablename__ = "discussions"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", unique=True)
    held: datetime = Field(sa_type=UTCDateTime)
    participants: str | None = None
    criteria: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    rationale: str
    routes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    s47: bool | None = None
    social_care_referred: datetime | None = Field(default=None, sa_type=UTCDateTime)
    employer_action: str | None = Field(default=None, max_length=40)
    pot_meeting: bool = False
    considerations: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)  # R23
    suspension: str | None = Field(default=None, max_length=40)  # R24
    suspension_note: str | None = None
    named_contact: str | None = None
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class Meeting(SQLModel, table=True):
    """Any meeting of R25, with its attendees and decisions; actions are deadlines."""

    __tablename__ = "meetings"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    type: str = Field(max_length=40)
    held: datetime = Field(sa_type=UTCDateTime)
    chair: str | None = None
    attendees: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    confidentiality: bool = False
    decisions: str | None = None
    minutes_ref: str | None = None
    next_review: date | None = None
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class PoliceUpdate(SQLModel, table=True):
    """Police progress and outcomes (R27), with the next review target (R19)."""

    __tablename__ = "police_updates"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    outcome: str | None = Field(default=None, max_length=40)
    result: str | None = None
    text: str | None = None
    review_date: date | None = None
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class Duty(SQLModel, table=True):
    """A duty an outcome triggers (R30-R32): DBS or regulator referral, feedback, ..."""

    __tablename__ = "duties"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=40)
    rule: str = Field(max_length=10)
    reason: str
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    note: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # no longer due (R30, R33)
    withdrawn_reason: str | None = None


class Escalation(SQLModel, table=True):
    """A practice concern or disagreement taken up a ladder (R38-R41)."""

    __tablename__ = "escalations"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    ladder: str = Field(max_length=40)
    reason: str = Field(max_length=40)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    step: int = 1
    practice_review: str | None = None  # R41: whether a practice review referral is considered
    raised_by: str | None = None  # who escalates (R40: the referrer side, bound by step 2's limit)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolution: str | None = None
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class EscalationStep(SQLModel, table=True):
    __tablename__ = "escalation_steps"
    id: int | None = Field(default=None, primary_key=True)
    escalation_id: int = Field(foreign_key="escalations.id", index=True)
    step: int
    contacted: str | None = None  # None: the step was skipped (skip_reason says why)
    at: datetime = Field(sa_type=UTCDateTime)
    response: str | None = None
    replied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # when the reply came
    no_reply: bool = False  # the reply never came: its time limit stays unmet (R41)
    skip_reason: str | None = None  # the step was skipped, and why (R39 step 2)
    branch: str | None = Field(default=None, max_length=40)  # R39 steps 3-4: escalation_branches
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class Amendment(SQLModel, table=True):
    """One corrected fact (R37a): field, old and new value, who, when and why. The chronology
    entry `event_id` tells the same in words; the case's columns hold the new value."""

    __tablename__ = "amendments"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    event_id: int  # the chronology entry (no foreign key: see migration 0007)
    field: str = Field(max_length=40)
    old: str | None = None
    new: str | None = None
    why: str
    actor: str
    at: datetime = Field(sa_type=UTCDateTime)


class RefCounter(SQLModel, table=True):
    """The last case reference number given out per year; taken with an atomic UPDATE, so
    two users saving at once never get the same reference."""

    __tablename__ = "ref_counters"
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int = 0


class AuditEntry(SQLModel, table=True):
    """Changes that are not case events, and survive the case: e.g. a deletion under the
    retention schedule (R37b), a key change. Who, when, what, which case reference."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str
    action: str = Field(max_length=40)
    ref: str | None = Field(default=None, max_length=40, index=True)
    detail: str
    prev_hash: str | None = Field(default=None, max_length=64)  # the hash chain (store/chain.py)
    hash: str | None = Field(default=None, max_length=64)


class DeletionPermit(SQLModel, table=True):
    """Present only inside the transaction that deletes a case under a recorded retention
    decision: the chronology's guard triggers let its entries go then, and never otherwise."""

    __tablename__ = "deletion_permits"
    case_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class Setting(SQLModel, table=True):
    """A setting kept with the database, e.g. `profile`: the TOML text of the authority's
    procedure profile (`lado init --profile FILE`), who set it and when."""

    __tablename__ = "settings"
    name: str = Field(primary_key=True, max_length=40)
    value: str
    set_at: datetime = Field(sa_type=UTCDateTime)
    set_by: str


class CaseAccess(SQLModel, table=True):
    """Who may see a restricted case (PostgreSQL role names); row-level security enforces it."""

    __tablename__ = "case_access"
    case_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False))
    role: str = Field(primary_key=True)


class CaseView(SQLModel, table=True):
    """Who opened which case, and when (R34): written by `lado show`. Kept after a deletion."""

    __tablename__ = "case_views"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(index=True)
    ref: str = Field(max_length=40)
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class KnownName(SQLModel, table=True):
    """Another name the adult is or was known by (R11a): a known-as or previous name."""

    __tablename__ = "known_names"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    name: str
    name_key: str = Field(index=True)
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class MatchKey(SQLModel, table=True):
    """Blocking keys of a case's adult (position 0) and children (1...) for R11a matching."""

    __tablename__ = "match_keys"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    position: int
    key: str = Field(max_length=120, index=True)


class MatchDecision(SQLModel, table=True):
    """A LADO's decision on a pair of cases (R11a): the same adult or not. Refs in order."""

    __tablename__ = "match_decisions"
    __table_args__ = (sa.UniqueConstraint("ref_a", "ref_b"),)
    id: int | None = Field(default=None, primary_key=True)
    ref_a: str = Field(max_length=40)
    ref_b: str = Field(max_length=40)
    same: bool
    why: str
    decided_at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=200)


class IndexSource(SQLModel, table=True):
    """Another authority's pseudonymous index (lado index import), with the shared key."""

    __tablename__ = "index_sources"
    id: int | None = Field(default=None, primary_key=True)
    authority: str = Field(unique=True, max_length=200)
    contact: str
    key_id: str = Field(max_length=40)
    secret: str  # the shared key, hex: needed to hash this service's own queries
    imported_at: datetime = Field(sa_type=UTCDateTime)


class IndexToken(SQLModel, table=True):
    __tablename__ = "index_tokens"
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="index_sources.id", index=True)
    token: str = Field(max_length=64, index=True)


class IntakeFact(SQLModel, table=True):
    """The intake facts beyond the core referral (R42-R44, R51, the referral-form fields of
    R11): one row per case that has any; columns named as domain/intake.py SPECS."""

    __tablename__ = "intake_facts"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", unique=True)
    police_referred: datetime | None = Field(default=None, sa_type=UTCDateTime)  # R43
    police_referred_to: str | None = None
    earlier_concerns: str | None = None  # R11a: the referrer's own knowledge
    subject_sex: str | None = Field(default=None, max_length=60)
    service_length: str | None = None
    own_children: bool | None = None
    supervising_social_worker: str | None = None  # R44
    placement_social_workers: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # R44
    placement_social_workers_told: datetime | None = Field(default=None, sa_type=UTCDateTime)  # R44
    associated_with: str | None = Field(default=None, max_length=40, index=True)  # P§68, R51: the worker's case ref
    association: str | None = Field(default=None, max_length=60)
    associated_worker: str | None = None
    associated_employer: str | None = None
    incidents: int | None = None
    place: str | None = None
    injury: str | None = None
    physical_intervention: bool | None = None
    others_told: str | None = None
    action_taken: str | None = None
    adult_knows: bool | None = None


class OtherSetting(SQLModel, table=True):
    """R51: another place the adult works or volunteers with children, or a commissioning body."""

    __tablename__ = "other_settings"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    position: int
    name: str
    kind: str | None = Field(default=None, max_length=60)
    authority: str | None = None


metadata = SQLModel.metadata

# The Core handles of the tables, for the store's SQLAlchemy Core queries (defined once, here).
cases = Case.__table__
subjects = Subject.__table__
employers = Employer.__table__
children = Child.__table__
referrers = Referrer.__table__
deadlines = Deadline.__table__
events = Event.__table__
discussions = Discussion.__table__
meetings = Meeting.__table__
police_updates = PoliceUpdate.__table__
duties = Duty.__table__
escalations = Escalation.__table__
escalation_steps = EscalationStep.__table__
ref_counters = RefCounter.__table__
audit_log = AuditEntry.__table__
deletion_permits = DeletionPermit.__table__
settings = Setting.__table__
amendments = Amendment.__table__
case_access = CaseAccess.__table__
case_views = CaseView.__table__
known_names = KnownName.__table__
match_keys = MatchKey.__table__
match_decisions = MatchDecision.__table__
index_sources = IndexSource.__table__
index_tokens = IndexToken.__table__
intake_facts = IntakeFact.__table__
other_settings = OtherSetting.__table__


# -- Case work after the initial discussion (R45-R50; migration 0012) ------------------------


class Suspension(SQLModel, table=True):
    """A suspension decided, changed or lifted after the initial discussion (R45), the LADO
    told, and the support of a suspended adult (P§35)."""

    __tablename__ = "suspensions"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)  # when the employer decided
    decision: str = Field(max_length=40)  # a suspension_decisions slug
    told_lado: datetime | None = Field(default=None, sa_type=UTCDateTime)
    why: str | None = None
    named_contact: str | None = None
    support: str | None = None
    updates: str | None = None  # how and how often the adult is kept updated
    union_advised: bool = False  # advised to contact their union or professional association
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class EvidenceConsent(SQLModel, table=True):
    """Consent from the police or social care to share statements and evidence with the employer (R46)."""

    __tablename__ = "evidence_consents"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    agency: str = Field(max_length=40)  # a consent_from slug
    at: datetime = Field(sa_type=UTCDateTime)
    given_by: str | None = None
    scope: str
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class RiskAssessment(SQLModel, table=True):
    """A specialised assessment of the adult's risk, commissioned by the employer (R46)."""

    __tablename__ = "risk_assessments"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)  # commissioned
    commissioned_by: str
    assessor: str | None = None
    note: str | None = None
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class ChildContact(SQLModel, table=True):
    """A decision on renewed or future contact between the adult and the child (R48)."""

    __tablename__ = "child_contacts"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    decision: str = Field(max_length=40)  # a contact_decisions slug
    arrangements: str | None = None
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class SubjectTold(SQLModel, table=True):
    """What the adult was told, when and by whom (R48)."""

    __tablename__ = "subject_told"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    told_by: str
    what: str
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class MinutesRequest(SQLModel, table=True):
    """A request for meeting minutes, referred to the chair (R49)."""

    __tablename__ = "minutes_requests"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)  # received
    requested_by: str
    chair: str
    redaction: str | None = None
    ig_advice: str | None = None  # Information Governance advice
    decision: str | None = Field(default=None, max_length=40)  # a minutes_decisions slug
    decided_on: date | None = None
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class Complaint(SQLModel, table=True):
    """A complaint about the outcome or the process, sent to the complaints team (R50, R37)."""

    __tablename__ = "complaints"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)  # received
    complainant: str
    about: str = Field(max_length=40)  # a complaint_subjects slug
    summary: str
    sent_at: datetime = Field(sa_type=UTCDateTime)  # to the complaints team
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


suspensions = Suspension.__table__
evidence_consents = EvidenceConsent.__table__
risk_assessments = RiskAssessment.__table__
child_contacts = ChildContact.__table__
subject_told = SubjectTold.__table__
minutes_requests = MinutesRequest.__table__
complaints = Complaint.__table__
#: The case-work tables (R45-R50), in the order they are shown and exported.
CASEWORK_TABLES = ("suspensions", "evidence_consents", "risk_assessments", "child_contacts", "subject_told", "minutes_requests", "complaints")
