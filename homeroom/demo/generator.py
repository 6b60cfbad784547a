"""Writes a synthetic district as OneRoster CSV files, streaming one row at a time."""

from __future__ import annotations

import csv
import math
import random
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from homeroom.demo import columns
from homeroom.demo.households import SHOWCASE, Child, Family, FamilyMaker, Guardian
from homeroom.demo.layout import (
    DISTRICT_NAME,
    DISTRICT_SOURCED_ID,
    STAFF_DOMAIN,
    Course,
    SchoolChooser,
    Section,
    StaffMaker,
    StaffMember,
    plan_courses,
    plan_schools,
    plan_sections,
    plan_sessions,
)

CATEGORIES = (("cat-homework", "Homework", "0.2"), ("cat-classwork", "Classwork", "0.2"),
              ("cat-quizzes", "Quizzes", "0.2"), ("cat-tests", "Tests", "0.3"), ("cat-projects", "Projects", "0.1"))
# (title, category, points, week of the school year it is due)
_ASSIGNMENTS = (("Homework 1", "cat-homework", 10, 2), ("Quiz 1", "cat-quizzes", 20, 4),
                ("Classwork: group task", "cat-classwork", 10, 5), ("Unit 1 test", "cat-tests", 100, 7),
                ("Project: my community", "cat-projects", 50, 9), ("Unit 2 test", "cat-tests", 100, 16))
_SCORED_WEEKS = 10  # items due later than this are not graded yet
_COMMENTS = ("", "", "", "", "Great improvement!", "Please see me about corrections.", "Excellent work.",
             "Missing the last page.")
# OneRoster roles for each Homeroom staff role: (1.1 users.role, 1.2 roles.role).
_STAFF_ROLES = {"district_admin": ("administrator", "districtAdministrator"),
                "principal": ("administrator", "principal"), "teacher": ("teacher", "teacher"),
                "case_manager": ("teacher", "teacher"), "social_worker": ("aide", "aide"), "staff": ("aide", "aide")}
_ALL_FILES = {"manifest", "roles", *columns.headers("1.1"), *columns.headers("1.2")}


def _flag(value: bool) -> str:
    return "true" if value else "false"


@dataclass
class DemoSummary:
    directory: Path
    version: str
    schools: int = 0
    households: int = 0
    students: int = 0
    guardians: int = 0
    staff: int = 0
    sections: int = 0
    enrollments: int = 0
    line_items: int = 0
    results: int = 0
    languages: dict[str, int] = field(default_factory=dict)


def default_school_year(today: date | None = None) -> int:
    """The calendar year in which the current school year started (it starts in late August)."""
    today = today or date.today()
    return today.year if today.month >= 7 else today.year - 1


def generate_district(
    out: Path, *, students: int, seed: int = 1, version: str = "1.1", school_year: int | None = None
) -> DemoSummary:
    """Write a district of `students` students into the folder `out`; the same arguments give the same files."""
    if students < 1:
        raise ValueError("A district needs at least one student.")
    headers = columns.headers(version)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.csv"):
        if stale.stem in _ALL_FILES:
            stale.unlink()
    with ExitStack() as stack:
        writers: dict[str, csv.DictWriter] = {}
        for name, cols in headers.items():
            handle = stack.enter_context((out / f"{name}.csv").open("w", newline="", encoding="utf-8"))
            writers[name] = csv.DictWriter(handle, fieldnames=cols, restval="", lineterminator="\n")
            writers[name].writeheader()
        district = _DistrictWriter(writers, version, random.Random(seed), school_year or default_school_year())
        summary = district.write(students, out)
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        manifest = csv.writer(handle, lineterminator="\n")
        manifest.writerow(["propertyName", "value"])
        manifest.writerows(columns.manifest_rows(version, f"{DISTRICT_NAME} (Homeroom demo)"))
    return summary


class _DistrictWriter:
    def __init__(self, writers: dict[str, csv.DictWriter], version: str, rng: random.Random, year: int) -> None:
        self.w = writers
        self.v12 = version == "1.2"
        self.rng = rng
        self.year = year
        self.modified = f"{year}-08-15T12:00:00.000Z"
        self.sessions = plan_sessions(year)
        self.start, self.end = self.sessions[0].start.isoformat(), self.sessions[0].end.isoformat()
        self.terms = ",".join(s.sourced_id for s in self.sessions if s.session_type == "semester")
        self.roles_written = 0
        self.summary: DemoSummary

    def write(self, students: int, out: Path) -> DemoSummary:
        self.summary = DemoSummary(directory=out, version="1.2" if self.v12 else "1.1")
        schools = plan_schools(students)
        self.summary.schools = len(schools)
        self._orgs(schools)
        self._sessions_and_courses(courses := plan_courses())
        chooser = SchoolChooser(schools)
        maker = FamilyMaker(self.rng, self.year)
        roster: dict[tuple[int, int], list[int]] = {}
        iep_by_school: dict[int, list[int]] = {}
        while maker.child_count < students:
            family = maker.make(students - maker.child_count)
            for child in family.children:
                school = chooser.school_for(child.grade, family.zone)
                child.school_index = school.index
                roster.setdefault((school.index, child.grade), []).append(child.number)
                if child.iep:
                    iep_by_school.setdefault(school.index, []).append(child.number)
            self._family(family, schools)
        self.summary.households = maker.family_count
        staff = StaffMaker(self.rng)
        self._school_staff(staff, schools, roster, iep_by_school)
        sections = plan_sections(self.rng, schools, courses, staff, roster)
        showcase_max = sum(len(s.grades) for s in SHOWCASE)
        for section in sections:
            section.graded = self.rng.random() < 0.15 or any(n <= showcase_max for n in section.students)
        for member in staff.members:
            self._staff(member)
        self.summary.staff = len(staff.members)
        self._categories()
        for section in sections:
            self._section(section)
        self.summary.sections = len(sections)
        return self.summary

    # --- organisation and calendar ---------------------------------------------------------------
    def _orgs(self, schools) -> None:
        base = {"status": "active", "dateLastModified": self.modified}
        self.w["orgs"].writerow({**base, "sourcedId": DISTRICT_SOURCED_ID, "name": DISTRICT_NAME, "type": "district",
                                 "identifier": "0990"})
        for school in schools:
            self.w["orgs"].writerow({**base, "sourcedId": school.sourced_id, "name": school.name, "type": "school",
                                     "identifier": school.identifier, "parentSourcedId": DISTRICT_SOURCED_ID})

    def _sessions_and_courses(self, courses: list[Course]) -> None:
        base = {"status": "active", "dateLastModified": self.modified}
        for s in self.sessions:
            self.w["academicSessions"].writerow({
                **base, "sourcedId": s.sourced_id, "title": s.title, "type": s.session_type,
                "startDate": s.start.isoformat(), "endDate": s.end.isoformat(), "parentSourcedId": s.parent,
                "schoolYear": s.school_year})
        for c in courses:
            self.w["courses"].writerow({
                **base, "sourcedId": c.sourced_id, "schoolYearSourcedId": self.sessions[0].sourced_id,
                "title": c.title, "courseCode": c.code, "grades": ",".join(_grade(g) for g in c.grades),
                "orgSourcedId": DISTRICT_SOURCED_ID, "subjects": c.subject})

    # --- people --------------------------------------------------------------------------------------
    def _user(self, values: dict[str, str], role: str, orgs: list[str]) -> None:
        row = {"status": "active", "dateLastModified": self.modified, "enabledUser": "true", **values}
        if self.v12:
            row["primaryOrgSourcedId"] = orgs[0]
            for index, org in enumerate(orgs):
                self.roles_written += 1
                self.w["roles"].writerow({
                    "sourcedId": f"rol-{self.roles_written:07d}", "status": "active",
                    "dateLastModified": self.modified, "userSourcedId": values["sourcedId"],
                    "roleType": "primary" if index == 0 else "secondary", "role": role, "orgSourcedId": org,
                    "beginDate": self.start if role == "student" else ""})
        else:
            row["role"], row["orgSourcedIds"] = role, ",".join(orgs)
        self.w["users"].writerow(row)

    def _family(self, family: Family, schools) -> None:
        summary = self.summary
        summary.languages[family.language] = summary.languages.get(family.language, 0) + len(family.children)
        agents = [g for g in family.guardians if g.in_agents]
        orgs = list(dict.fromkeys(schools[c.school_index].sourced_id for c in family.children))
        for child in family.children:
            summary.students += 1
            self._student(family, child, schools[child.school_index].sourced_id,
                          ",".join(g.sourced_id for g in agents) if family.links_on_student_row else "")
        for guardian in family.guardians:
            summary.guardians += 1
            on_row = not family.links_on_student_row and guardian.in_agents
            self._guardian(guardian, orgs, ",".join(c.sourced_id for c in family.children) if on_row else "")
            if family.write_relationships:
                for child in family.children:
                    self.w["relationships"].writerow({
                        "userSourcedId": child.sourced_id, "relationshipUserSourcedId": guardian.sourced_id,
                        "relationshipRole": guardian.relationship,
                        "hasEducationalRights": _flag(guardian.has_rights), "livesWith": _flag(guardian.lives_with),
                        "mayReceiveInformation": _flag(guardian.may_receive),
                        "emergencyContact": _flag(guardian.emergency), "primaryContact": _flag(guardian.primary),
                        "custodyNotes": guardian.custody_notes})

    def _student(self, family: Family, child: Child, school: str, agents: str) -> None:
        identifier = str(1_100_000_000 + child.number * 37 % 1_000_000 * 10 + child.number % 10)
        email = f"s{identifier}@students.{STAFF_DOMAIN}" if child.grade >= 6 else ""
        self._user({
            "sourcedId": child.sourced_id, "username": email.split("@")[0] if email else f"s{identifier}",
            "givenName": child.given, "familyName": child.family, "identifier": identifier, "email": email,
            "agentSourcedIds": agents, "grades": child.grade_code, "metadata.language": family.language,
            "metadata.householdSourcedId": family.sourced_id,
        }, "student", [school])
        races = child.race
        self.w["demographics"].writerow({
            "sourcedId": child.sourced_id, "status": "active", "dateLastModified": self.modified,
            "birthDate": child.birth_date.isoformat(), "sex": child.sex,
            "americanIndianOrAlaskaNative": _flag("aian" in races), "asian": _flag("asian" in races),
            "blackOrAfricanAmerican": _flag("black" in races),
            "nativeHawaiianOrOtherPacificIslander": _flag("nhpi" in races), "white": _flag("white" in races),
            "demographicRaceTwoOrMoreRaces": _flag(len(races) > 1),
            "hispanicOrLatinoEthnicity": _flag(child.hispanic), "countryOfBirthCode": child.birth_country,
            "stateOfBirthAbbreviation": "CT" if child.birth_country == "US" else "",
            "metadata.englishLearner": _flag(child.english_learner), "metadata.iep": _flag(child.iep),
            "metadata.section504": _flag(child.section_504),
            "metadata.freeReducedMeals": _flag(child.free_reduced_meals)})

    def _guardian(self, guardian: Guardian, orgs: list[str], agents: str) -> None:
        self._user({
            "sourcedId": guardian.sourced_id, "username": guardian.email, "givenName": guardian.given,
            "familyName": guardian.family, "email": guardian.email, "sms": guardian.mobile,
            "phone": guardian.home_phone, "agentSourcedIds": agents, "metadata.language": guardian.language,
            "metadata.householdSourcedId": guardian.household,
            "metadata.smsConsent": _flag(guardian.sms_consent) if guardian.mobile else "",
        }, guardian.oneroster_role, orgs)

    def _school_staff(self, staff: StaffMaker, schools, roster, iep_by_school) -> None:
        staff.add("district_admin", None)
        for school in schools:
            size = sum(len(v) for (index, _), v in roster.items() if index == school.index)
            staff.add("principal", school)
            social_workers = [staff.add("social_worker", school) for _ in range(1 + size // 900)]
            staff.add("staff", school)  # the family liaison
            ieps = iep_by_school.get(school.index, [])
            managers = [staff.add("case_manager", school) for _ in range(max(1, math.ceil(len(ieps) / 16)))]
            for index, student in enumerate(ieps):
                self._caseload(managers[index % len(managers)], student)
            everyone = [n for (index, _), v in roster.items() if index == school.index for n in v]
            picked = self.rng.sample(everyone, k=len(everyone) // 25) if everyone else []
            for index, student in enumerate(sorted(picked)):
                self._caseload(social_workers[index % len(social_workers)], student)

    def _caseload(self, member: StaffMember, student: int) -> None:
        self.w["caseloads"].writerow({"staffSourcedId": member.sourced_id, "studentSourcedId": f"stu-{student:06d}",
                                      "beginDate": self.start, "endDate": ""})

    def _staff(self, member: StaffMember) -> None:
        role_11, role_12 = _STAFF_ROLES[member.staff_role]
        org = member.school.sourced_id if member.school else DISTRICT_SOURCED_ID
        self._user({
            "sourcedId": member.sourced_id, "username": member.email.split("@")[0], "givenName": member.given,
            "familyName": member.family, "identifier": f"E{40000 + member.number}", "email": member.email,
            "metadata.staffRole": member.staff_role,
        }, role_12 if self.v12 else role_11, [org])
        # OneRoster keys demographics by any user: a staff member's row carries only their sex.
        self.w["demographics"].writerow({"sourcedId": member.sourced_id, "status": "active",
                                         "dateLastModified": self.modified, "sex": member.sex})

    # --- classes and grades --------------------------------------------------------------------------
    def _categories(self) -> None:
        for sourced_id, title, weight in CATEGORIES:
            row = {"sourcedId": sourced_id, "status": "active", "dateLastModified": self.modified, "title": title}
            if self.v12:
                row["weight"] = weight
            self.w["categories"].writerow(row)

    def _section(self, section: Section) -> None:
        base = {"status": "active", "dateLastModified": self.modified}
        school = section.school.sourced_id
        self.w["classes"].writerow({
            **base, "sourcedId": section.sourced_id, "title": section.title,
            "grades": ",".join(_grade(g) for g in section.course.grades), "courseSourcedId": section.course.sourced_id,
            "classCode": f"{section.course.code}-{section.number:05d}",
            "classType": "homeroom" if section.school.level == "elementary" else "scheduled",
            "location": f"Room {100 + section.teacher.number % 60 + 100 * (section.teacher.number % 3)}",
            "schoolSourcedId": school, "termSourcedIds": self.terms, "subjects": section.course.subject,
            "periods": str(section.period)})
        enrollments = self.w["enrollments"]
        dates = {"beginDate": self.start, "endDate": self.end}
        enrollments.writerow({**base, **dates, "sourcedId": f"enr-{section.number:06d}-t",
                              "classSourcedId": section.sourced_id, "schoolSourcedId": school,
                              "userSourcedId": section.teacher.sourced_id, "role": "teacher", "primary": "true"})
        for student in section.students:
            enrollments.writerow({**base, **dates, "sourcedId": f"enr-{section.number:06d}-{student:06d}",
                                  "classSourcedId": section.sourced_id, "schoolSourcedId": school,
                                  "userSourcedId": f"stu-{student:06d}", "role": "student", "primary": "false"})
        self.summary.enrollments += len(section.students) + 1
        if section.graded:
            self._gradebook(section)

    def _gradebook(self, section: Section) -> None:
        base = {"status": "active", "dateLastModified": self.modified}
        first_day = self.sessions[0].start
        for number, (title, category, points, week) in enumerate(_ASSIGNMENTS, start=1):
            due = first_day + timedelta(weeks=week)
            period = next(s for s in self.sessions[3:] if s.start <= due <= s.end)
            item_id = f"li-{section.number:06d}-{number}"
            row = {**base, "sourcedId": item_id, "title": title, "description": f"{section.course.title}: {title}",
                   "assignDate": self._when(due - timedelta(days=7)), "dueDate": self._when(due),
                   "classSourcedId": section.sourced_id, "categorySourcedId": category,
                   "gradingPeriodSourcedId": period.sourced_id, "resultValueMin": "0", "resultValueMax": str(points)}
            if self.v12:
                row |= {"academicSessionSourcedId": period.parent, "schoolSourcedId": section.school.sourced_id}
            self.w["lineItems"].writerow(row)
            self.summary.line_items += 1
            if week > _SCORED_WEEKS:
                continue
            for student in section.students:
                self._result(item_id, student, points, due, base)

    def _result(self, item_id: str, student: int, points: int, due: date, base: dict[str, str]) -> None:
        rng = self.rng
        roll = rng.random()
        ability = 0.68 + (student * 2654435761 % 1000) / 3400  # a steady level per student, 68%–97%
        fraction = min(1.0, max(0.0, rng.gauss(ability, 0.08)))
        row = {**base, "sourcedId": f"res-{item_id[3:]}-{student:06d}", "lineItemSourcedId": item_id,
               "studentSourcedId": f"stu-{student:06d}", "scoreDate": (due + timedelta(days=3)).isoformat()}
        if roll < 0.01:
            row |= {"scoreStatus": "exempt", "comment": "Excused: family emergency."}
        elif roll < 0.06:
            row |= {"scoreStatus": "not submitted", "score": "0", "comment": "Missing"}
            if self.v12:
                row["missing"] = "true"
        else:
            row |= {"scoreStatus": "fully graded", "score": f"{round(points * fraction * 2) / 2:g}",
                    "comment": rng.choice(_COMMENTS)}
        self.w["results"].writerow(row)
        self.summary.results += 1

    def _when(self, day: date) -> str:
        if self.v12:  # OneRoster 1.2 gives line item dates as date-times
            return datetime(day.year, day.month, day.day, 23, 59).isoformat() + "Z"
        return day.isoformat()


def _grade(grade: int) -> str:
    return "KG" if grade == 0 else f"{grade:02d}"
