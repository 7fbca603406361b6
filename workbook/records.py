"""What the store hands back: read-only records of workshops, groups, people and answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbook.models import CommitmentStatus, KeyFinding


def format_join_code(code: str) -> str:
    """ABC234 -> 'ABC-234': easier to read aloud and to copy from a projector."""
    return f"{code[:3]}-{code[3:]}" if len(code) == 6 else code


@dataclass(frozen=True)
class Workshop:
    id: int
    join_code: str
    title: str
    cause: str
    region: str
    self_guided: bool
    shares_with_funders: bool
    pacing: str
    current_step: int
    created_at: dt.datetime

    @property
    def display_code(self) -> str:
        return format_join_code(self.join_code)


@dataclass(frozen=True)
class Group:
    id: int
    workshop_id: int
    name: str
    current_round: int
    members: int = 0  # people in the group; left 0 where not counted (a seat's group)


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    group_id: int
    display_name: str
    quote_consent: bool
    current_step: int


@dataclass(frozen=True)
class Seat:
    """Who is at this browser: the participant, their group and workshop."""

    workshop: Workshop
    group: Group
    participant: Participant


@dataclass(frozen=True)
class Reflection:
    id: int
    group_id: int
    participant_id: int
    author: str
    lesson_id: str
    prompt_id: str
    round: int
    text: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class Rating:
    group_id: int
    participant_id: int
    lesson_id: str
    statement_id: str
    key_finding: KeyFinding
    round: int
    value: int


@dataclass(frozen=True)
class Commitment:
    id: int
    group_id: int
    what: str
    who: str
    by_when: dt.date | None
    key_finding: KeyFinding | None  # None: the group named no key finding
    round: int
    created_at: dt.datetime
    status: CommitmentStatus | None = None
    status_round: int | None = None


@dataclass(frozen=True)
class SavedAnswers:
    """A participant's own answers to one lesson in one round, keyed by prompt / statement id."""

    reflections: dict[str, str]
    ratings: dict[str, int]
