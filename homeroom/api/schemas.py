"""JSON shapes of the public API (django-ninja schemas)."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class MeOut(Schema):
    email: str
    roles: list[str]
    is_guardian: bool


class SchoolOut(Schema):
    id: int
    name: str
    identifier: str


class StudentOut(Schema):
    id: int
    given_name: str
    family_name: str
    preferred_name: str
    grade: str
    school_id: int | None


class StudentRestrictedOut(Schema):
    birth_date: date | None = None
    home_language: str
    english_learner: bool
    has_iep: bool
    has_504: bool
    race_ethnicity: list[str]
    free_reduced_meals: bool


class StudentDetailOut(StudentOut):
    restricted: StudentRestrictedOut | None = None


class GuardianLinkOut(Schema):
    guardian_id: int
    given_name: str
    family_name: str
    relationship: str
    language: str
    has_educational_rights: bool
    may_receive_information: bool
    lives_with: bool
    channel_order: list[str]


class ErrorOut(Schema):
    detail: str
