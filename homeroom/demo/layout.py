"""The demo district's shape: schools by level, the school calendar, courses, class sections and staff."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date

from homeroom.demo.names import POOLS, ascii_slug, family_name_for

DISTRICT_NAME = "Millbrook Public Schools"
DISTRICT_SOURCED_ID = "org-millbrook"
STAFF_DOMAIN = "millbrookschools.example"
LEVEL_GRADES = {"elementary": range(0, 6), "middle": range(6, 9), "high": range(9, 13)}
# Typical enrolment of one school at each level; the number of schools follows from the district's size.
_LEVEL_SIZE = {"elementary": 420, "middle": 650, "high": 1300}
_NAMESAKES = ("Maple Street", "Nathan Hale", "Prudence Crandall", "Roberto Clemente", "Harbor View", "Mill River",
              "Oak Hill", "Ella Grasso", "Sarah Noble", "Thurgood Marshall", "Cedar Ridge", "Jefferson",
              "Lincoln", "Washington", "Riverside", "Pine Grove", "Elm Street", "Hillcrest", "Lakeview", "Fair Haven",
              "Wintergreen", "Mary Townsend Seymour", "Dr. Ramón E. Betances", "Martin Luther King Jr.",
              "Quinnipiac", "Laurel Brook", "Sycamore", "Brookside", "Parkview", "Winthrop")
_LEVEL_SUFFIX = {"elementary": "Elementary School", "middle": "Middle School", "high": "High School"}

SUBJECTS = ("English Language Arts", "Mathematics", "Science", "Social Studies")
_HIGH_CORE = {
    "English Language Arts": ("English 9", "English 10", "English 11", "English 12"),
    "Mathematics": ("Algebra I", "Geometry", "Algebra II", "Pre-Calculus"),
    "Science": ("Biology", "Chemistry", "Physics", "Environmental Science"),
    "Social Studies": ("World History", "Civics", "U.S. History", "Economics"),
}
ELECTIVES = ("Spanish I", "Studio Art", "Concert Band", "Computer Science Principles", "Health and Wellness")
_STAFF_TRADITIONS = (("english", 72.0), ("hispanic", 14.0), ("brazilian", 2.0), ("haitian", 2.0),
                     ("chinese", 2.0), ("polish", 3.0), ("south_asian", 2.5), ("arab", 2.5))


@dataclass(frozen=True)
class School:
    index: int
    level: str
    name: str

    @property
    def sourced_id(self) -> str:
        return f"org-{self.index + 1:03d}"

    @property
    def identifier(self) -> str:
        return f"99{self.index + 1:03d}11"


@dataclass(frozen=True)
class Session:
    sourced_id: str
    title: str
    session_type: str
    start: date
    end: date
    parent: str
    school_year: str


@dataclass(frozen=True)
class Course:
    sourced_id: str
    title: str
    code: str
    grades: tuple[int, ...]
    subject: str


@dataclass
class StaffMember:
    number: int
    given: str
    family: str
    staff_role: str  # contract metadata.staffRole
    school: School | None
    email: str = ""
    sex: str = ""  # written to demographics.csv, as a district's SIS does for staff: titles agree with it

    @property
    def sourced_id(self) -> str:
        return f"stf-{self.number:05d}"


@dataclass
class Section:
    number: int
    school: School
    course: Course
    teacher: StaffMember
    period: int
    students: list[int] = field(default_factory=list)
    graded: bool = False

    @property
    def sourced_id(self) -> str:
        return f"cls-{self.number:06d}"

    @property
    def title(self) -> str:
        if self.school.level == "elementary":
            return f"{self.course.title} – {self.teacher.family}"
        return f"{self.course.title} – Period {self.period}"


def plan_schools(students: int) -> list[School]:
    schools: list[School] = []
    for level, grades in LEVEL_GRADES.items():
        expected = students * len(grades) / 13
        count = max(1, round(expected / _LEVEL_SIZE[level]))
        for n in range(count):
            base = _NAMESAKES[(len(schools) * 7 + n) % len(_NAMESAKES)]
            lap = (len(schools) * 7 + n) // len(_NAMESAKES)
            name = f"{base} {_LEVEL_SUFFIX[level]}" + (f" {lap + 1}" if lap else "")
            schools.append(School(index=len(schools), level=level, name=name))
    return schools


_LEVEL_OF_GRADE = {grade: level for level, grades in LEVEL_GRADES.items() for grade in grades}


class SchoolChooser:
    """Zones feed schools in order, so a neighbourhood's elementary school feeds one middle and one high school."""

    def __init__(self, schools: list[School]) -> None:
        self.by_level = {level: [s for s in schools if s.level == level] for level in LEVEL_GRADES}

    def school_for(self, grade: int, zone: float) -> School:
        candidates = self.by_level[_LEVEL_OF_GRADE[grade]]
        return candidates[min(int(zone * len(candidates)), len(candidates) - 1)]


def plan_sessions(year: int) -> list[Session]:
    """The school year starting in August of `year`: two semesters and four marking periods."""
    label, end_year = f"{year}-{year + 1}", str(year + 1)
    root = f"as-{end_year}"
    s1, s2 = f"{root}-s1", f"{root}-s2"
    return [
        Session(root, label, "schoolYear", date(year, 8, 27), date(year + 1, 6, 15), "", end_year),
        Session(s1, f"Fall {year}", "semester", date(year, 8, 27), date(year + 1, 1, 22), root, end_year),
        Session(s2, f"Spring {year + 1}", "semester", date(year + 1, 1, 25), date(year + 1, 6, 15), root, end_year),
        Session(f"{root}-q1", "Marking Period 1", "gradingPeriod", date(year, 8, 27), date(year, 11, 6), s1, end_year),
        Session(f"{root}-q2", "Marking Period 2", "gradingPeriod", date(year, 11, 9), date(year + 1, 1, 22), s1,
                end_year),
        Session(f"{root}-q3", "Marking Period 3", "gradingPeriod", date(year + 1, 1, 25), date(year + 1, 4, 2), s2,
                end_year),
        Session(f"{root}-q4", "Marking Period 4", "gradingPeriod", date(year + 1, 4, 6), date(year + 1, 6, 15), s2,
                end_year),
    ]


def plan_courses() -> list[Course]:
    courses: list[Course] = []
    for grade in LEVEL_GRADES["elementary"]:
        title = "Kindergarten" if grade == 0 else f"Grade {grade}"
        courses.append(Course(f"crs-elem-{grade:02d}", title, f"ELEM{grade:02d}", (grade,), "Homeroom"))
    for grade in LEVEL_GRADES["middle"]:
        for subject in SUBJECTS:
            short = {"English Language Arts": "ELA", "Mathematics": "Math"}.get(subject, subject)
            code = f"{ascii_slug(short).upper()[:4]}{grade}"
            courses.append(Course(f"crs-{code.lower()}", f"{short} {grade}", code, (grade,), subject))
    for subject, titles in _HIGH_CORE.items():
        for offset, title in enumerate(titles):
            code = ascii_slug(title).upper()[:10]
            courses.append(Course(f"crs-{code.lower()}", title, code, (9 + offset,), subject))
    for title in ELECTIVES:
        code = ascii_slug(title).upper()[:10]
        courses.append(Course(f"crs-{code.lower()}", title, code, (9, 10, 11, 12), "Elective"))
    return courses


class StaffMaker:
    """Names staff members and gives each a unique district e-mail address."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.members: list[StaffMember] = []
        self._emails: set[str] = set()
        self._traditions = [t for t, _ in _STAFF_TRADITIONS]
        self._weights = [w for _, w in _STAFF_TRADITIONS]

    def add(self, staff_role: str, school: School | None) -> StaffMember:
        rng = self.rng
        tradition = rng.choices(self._traditions, weights=self._weights)[0]
        sex = "female" if rng.random() < (0.76 if staff_role == "teacher" else 0.6) else "male"
        pool = POOLS[tradition]
        given = rng.choice(pool.given(sex, adult=True))
        family = family_name_for(rng.choice(pool.family), sex, tradition)
        local = f"{ascii_slug(given)}.{ascii_slug(family)}"
        email, n = f"{local}@{STAFF_DOMAIN}", 1
        while email in self._emails:
            n += 1
            email = f"{local}{n}@{STAFF_DOMAIN}"
        self._emails.add(email)
        member = StaffMember(len(self.members) + 1, given, family, staff_role, school, email, sex)
        self.members.append(member)
        return member


def _split(students: list[int], size: int) -> list[list[int]]:
    if not students:
        return []
    count = math.ceil(len(students) / size)
    return [students[i::count] for i in range(count)]


def plan_sections(
    rng: random.Random, schools: list[School], courses: list[Course], staff: StaffMaker,
    roster: dict[tuple[int, int], list[int]],
) -> list[Section]:
    """Class sections for every school: homerooms in elementary, subject classes of ~24 above, five per teacher."""
    by_grade_subject = {(c.grades[0], c.subject): c for c in courses if len(c.grades) == 1}
    electives = [c for c in courses if c.subject == "Elective"]
    sections: list[Section] = []

    def add(school: School, course: Course, teacher: StaffMember, period: int, students: list[int]) -> None:
        sections.append(Section(len(sections) + 1, school, course, teacher, period, students))

    for school in schools:
        grades = LEVEL_GRADES[school.level]
        if school.level == "elementary":
            for grade in grades:
                for group in _split(roster.get((school.index, grade), []), 22):
                    add(school, by_grade_subject[(grade, "Homeroom")], staff.add("teacher", school), 1, group)
            continue
        groups: dict[str, list[tuple[Course, list[int]]]] = {}
        for grade in grades:
            students = roster.get((school.index, grade), [])
            for subject in SUBJECTS:
                shuffled = students[:]
                rng.shuffle(shuffled)
                for group in _split(shuffled, 24):
                    groups.setdefault(subject, []).append((by_grade_subject[(grade, subject)], group))
        if school.level == "high":
            chosen: dict[int, list[int]] = {}
            for grade in grades:
                for student in roster.get((school.index, grade), []):
                    chosen.setdefault(rng.randrange(len(electives)), []).append(student)
            for index, students in sorted(chosen.items()):
                for group in _split(students, 26):
                    groups.setdefault(electives[index].subject + str(index), []).append((electives[index], group))
        for subject_sections in groups.values():
            for start in range(0, len(subject_sections), 5):
                teacher = staff.add("teacher", school)
                for period, (course, group) in enumerate(subject_sections[start:start + 5], start=1):
                    add(school, course, teacher, period, group)
    return sections
