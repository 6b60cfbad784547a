"""Plain records built from the CSV rows, before anything touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from homeroom.roster.importers.spec import display_name


@dataclass(slots=True)
class Record:
    sourced_id: str
    row: int
    active: bool
    modified: datetime | None


@dataclass(slots=True)
class OrgRecord(Record):
    name: str = ""
    org_type: str = ""
    identifier: str = ""
    parent_id: str = ""


@dataclass(slots=True)
class SessionRecord(Record):
    title: str = ""
    session_type: str = ""
    start_date: date | None = None
    end_date: date | None = None
    parent_id: str = ""
    school_year: str = ""


@dataclass(slots=True)
class CourseRecord(Record):
    title: str = ""


@dataclass(slots=True)
class ClassRecord(Record):
    title: str = ""
    school_id: str = ""
    course_id: str = ""
    class_code: str = ""
    class_type: str = ""
    location: str = ""
    grades: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    term_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class UserRole:
    role: str  # OneRoster role, normalised to lower case
    org_id: str
    primary: bool = False
    file: str = ""  # where the role came from (users.csv in 1.1, roles.csv in 1.2), for messages
    row: int = 0
    column: str = "orgSourcedIds"


@dataclass(slots=True)
class UserRecord(Record):
    given_name: str = ""
    family_name: str = ""
    preferred_name: str = ""
    identifier: str = ""
    email: str = ""
    mobile_phone: str = ""
    home_phone: str = ""
    roles: list[UserRole] = field(default_factory=list)
    primary_org_id: str = ""
    agent_ids: list[str] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    language: str = ""
    household_id: str = ""
    staff_role: str = ""
    sms_consent: bool | None = None

    @property
    def role_names(self) -> set[str]:
        return {role.role for role in self.roles}


@dataclass(slots=True)
class EnrollmentRecord(Record):
    class_id: str = ""
    user_id: str = ""
    role: str = ""
    primary: bool = False
    begin_date: date | None = None
    end_date: date | None = None


@dataclass(slots=True)
class DemographicRecord(Record):
    birth_date: date | None = None
    sex: str = ""
    race_ethnicity: list[str] = field(default_factory=list)
    english_learner: bool | None = None
    has_iep: bool | None = None
    has_504: bool | None = None
    free_reduced_meals: bool | None = None


@dataclass(slots=True)
class RelationshipRecord:
    row: int
    student_id: str
    guardian_id: str
    relationship: str
    has_educational_rights: bool
    lives_with: bool
    may_receive_information: bool
    is_emergency_contact: bool
    is_primary: bool
    custody_notes: str
    active: bool = True


@dataclass(slots=True)
class CaseloadRecord:
    row: int
    staff_id: str
    student_id: str
    start_date: date | None
    end_date: date | None
    active: bool = True


@dataclass(slots=True)
class CategoryRecord(Record):
    title: str = ""
    weight: Decimal | None = None


@dataclass(slots=True)
class LineItemRecord(Record):
    class_id: str = ""
    title: str = ""
    description: str = ""
    assign_date: datetime | None = None
    due_date: datetime | None = None
    category_id: str = ""
    grading_period_id: str = ""
    result_value_min: Decimal | None = None
    result_value_max: Decimal | None = None


@dataclass(slots=True)
class ResultRecord(Record):
    line_item_id: str = ""
    student_id: str = ""
    score: Decimal | None = None
    score_status: str = ""
    text_score: str = ""
    comment: str = ""
    score_date: date | None = None


@dataclass
class Export:
    """Everything parsed from one export."""

    version: str = ""
    modes: dict[str, str] = field(default_factory=dict)  # SPECS key → "bulk" | "delta"
    orgs: dict[str, OrgRecord] = field(default_factory=dict)
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    courses: dict[str, CourseRecord] = field(default_factory=dict)
    classes: dict[str, ClassRecord] = field(default_factory=dict)
    users: dict[str, UserRecord] = field(default_factory=dict)
    enrollments: dict[str, EnrollmentRecord] = field(default_factory=dict)
    demographics: dict[str, DemographicRecord] = field(default_factory=dict)  # students'
    staff_demographics: dict[str, DemographicRecord] = field(default_factory=dict)  # staff's (only `sex` is kept)
    relationships: list[RelationshipRecord] = field(default_factory=list)
    caseloads: list[CaseloadRecord] = field(default_factory=list)
    categories: dict[str, CategoryRecord] = field(default_factory=dict)
    line_items: dict[str, LineItemRecord] = field(default_factory=dict)
    results: dict[str, ResultRecord] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)  # SPECS key → file name as given

    def release_people(self) -> None:
        """Forget the people's records once they are written (keeping which files were there)."""
        self.users, self.demographics, self.relationships, self.caseloads = {}, {}, [], []
        self.staff_demographics = {}

    def mode(self, key: str) -> str:
        """"bulk", "delta" or "" when the file is not in the export."""
        return self.modes.get(key, "")

    def name(self, key: str) -> str:
        return self.file_names.get(key) or display_name(key)
