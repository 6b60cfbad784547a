"""The audience picker: what a sender may add (a family, a class, a grade, a school, a saved list, a caseload, the
district), found by an accent-insensitive search, shown as chips with family and student counts, and turned into
the message's audience. Every choice is checked against the sender's scope (homeroom.access.scoping) when it is
offered and again when the audience is resolved (compose.audiences).

A choice travels in the compose form as a short key ("section:12", "grade:3:05", "family:41"): POST only, never in
a URL, and worthless outside the sender's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.messaging.compose.audiences import AudienceError, audience_students, grade_codes
from homeroom.messaging.models import AudienceKind, SavedList
from homeroom.roster.models import School, Section, Student
from homeroom.roster.search_keys import fold, search_condition

FAMILY_TOKEN_KEY = "family-token"  # noqa: S105 — the chip of a family opened by "Message this family" (a signed token)
SEARCH_LIMIT = 12  # choices a search offers at most
SCAN_LIMIT = 20000  # classes read to match a title when a scope is very large (a district administrator's)


def matches(query: str, *texts: str) -> bool:
    """Every word of the query appears in one of the texts, accents and case ignored."""
    words = fold(query).split()
    haystack = " ".join(fold(t) for t in texts if t)
    return bool(words) and all(w in haystack for w in words)


@dataclass(frozen=True)
class Choice:
    key: str
    kind: str  # an AudienceKind value
    label: str
    part: dict[str, Any]  # the audience this choice alone describes
    students: int = 0
    families: int = 0


def _may_message_schools(user: Any) -> bool:
    scope = scoping.scope_for(user)
    return bool(scope.district_ids or scope.school_ids)


def _schools(user: Any) -> QuerySet[School]:
    scope = scoping.scope_for(user)
    if scope.district_ids:
        return scoping.schools_for(user)
    return School.objects.filter(id__in=scope.school_ids, is_active=True)


def _family_label(student: Student) -> str:
    return _("Family of %(name)s") % {"name": f"{student.preferred_name or student.given_name} {student.family_name}"}


def choice_for_key(user: Any, key: str) -> Choice | None:
    """The choice a key names, if the sender may use it; None otherwise (never an error page)."""
    kind, _sep, rest = str(key).partition(":")
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return None
    if kind == "district" and scope.district_ids:
        return Choice("district", AudienceKind.DISTRICT, _("The whole district"), {"kind": AudienceKind.DISTRICT})
    if kind == "caseload" and scope.case_manager:
        return Choice("caseload", AudienceKind.CASELOAD, _("My caseload"), {"kind": AudienceKind.CASELOAD})
    if not rest.replace(":", "").isalnum():
        return None
    if kind == "family" and rest.isdigit():
        student = scoping.staff_students_for(user).filter(pk=int(rest)).first()
        if student is None:
            return None
        return Choice(key, AudienceKind.FAMILY, _family_label(student),
                      {"kind": AudienceKind.FAMILY, "students": [student.pk]})
    if kind == "section" and rest.isdigit():
        section = scoping.sections_for(user).filter(pk=int(rest)).first()
        if section is None:
            return None
        return Choice(key, AudienceKind.SECTIONS, section.title,
                      {"kind": AudienceKind.SECTIONS, "sections": [section.pk]})
    if kind == "list" and rest.isdigit():
        saved = SavedList.objects.filter(pk=int(rest), owner_id=scope.staff_id).first()
        if saved is None:
            return None
        return Choice(key, AudienceKind.LIST, _("List: %(name)s") % {"name": saved.name},
                      {"kind": AudienceKind.LIST, "lists": [saved.pk]})
    if kind == "school" and rest.isdigit() and _may_message_schools(user):
        school = _schools(user).filter(pk=int(rest)).first()
        if school is None:
            return None
        return Choice(key, AudienceKind.SCHOOLS, school.name, {"kind": AudienceKind.SCHOOLS, "schools": [school.pk]})
    if kind == "grade" and _may_message_schools(user):
        school_id, _sep, grade = rest.partition(":")
        school = _schools(user).filter(pk=int(school_id)).first() if school_id.isdigit() else None
        if school is None or not grade_codes([grade]):
            return None
        label = _("Grade %(grade)s, %(school)s") % {"grade": grade, "school": school.name}
        return Choice(key, AudienceKind.GRADES, label,
                      {"kind": AudienceKind.GRADES, "schools": [school.pk], "grades": [grade]})
    return None


def with_counts(user: Any, choice: Choice) -> Choice:
    """The choice with how many students and families (households; a student without one is a family) it reaches."""
    try:
        students = audience_students(user, choice.part).order_by()
    except AudienceError:
        return choice
    ids = students.values("id")
    base = Student.objects.filter(id__in=ids)
    count = base.count()
    households = base.exclude(household=None).values("household_id").distinct().count()
    alone = base.filter(household=None).count()
    return Choice(choice.key, choice.kind, choice.label, choice.part, students=count, families=households + alone)


def chips(user: Any, keys: list[str]) -> list[Choice]:
    """The chosen keys the sender may use, once each, in the order chosen, with their counts."""
    seen: set[str] = set()
    result = []
    for key in keys:
        choice = choice_for_key(user, key) if key not in seen else None
        seen.add(key)
        if choice is not None:
            result.append(with_counts(user, choice))
    return result


def suggestions(user: Any) -> list[Choice]:
    """What the picker offers before anything is typed: my classes, my caseload, my lists, my schools."""
    scope = scoping.scope_for(user)
    keys: list[str] = []
    own_sections = Section.objects.filter(enrollments__staff_id=scope.staff_id or 0, enrollments__is_active=True,
                                          is_active=True).distinct().order_by("title")
    keys += [f"section:{pk}" for pk in own_sections.values_list("pk", flat=True)[:SEARCH_LIMIT]]
    if scope.case_manager:
        keys.append("caseload")
    keys += [f"list:{pk}" for pk in SavedList.objects.filter(owner_id=scope.staff_id).order_by("name")
             .values_list("pk", flat=True)[:SEARCH_LIMIT]]
    if _may_message_schools(user):
        keys += [f"school:{pk}" for pk in _schools(user).order_by("name").values_list("pk", flat=True)[:SEARCH_LIMIT]]
    if scope.district_ids:
        keys.append("district")
    return [c for c in (choice_for_key(user, k) for k in keys) if c is not None]


def role_default_keys(user: Any) -> list[str]:
    """Where compose starts: a teacher on "My classes" (never a school or the district); others on nothing."""
    scope = scoping.scope_for(user)
    if not scope.teacher or scope.school_ids or scope.district_ids:
        return []
    own = Section.objects.filter(enrollments__staff_id=scope.staff_id or 0, enrollments__is_active=True,
                                 is_active=True).distinct().order_by("title")
    return [f"section:{pk}" for pk in own.values_list("pk", flat=True)[:SEARCH_LIMIT]]


def search(user: Any, query: str) -> list[Choice]:
    """Choices matching a name, a student number, a class, a school, a list or a grade ("grade 5", "5")."""
    query = (query or "").strip()[:100]
    if not fold(query):
        return []
    found: list[Choice] = []
    words = fold(query).split()
    grade = words[-1] if len(words) <= 2 and (words[0] in ("grade", "grado") or len(words) == 1) else ""
    if grade and (grade.isdigit() or grade in ("k", "kg", "pk")) and _may_message_schools(user):
        found += [c for c in (choice_for_key(user, f"grade:{s.pk}:{grade.upper()}")
                              for s in _schools(user).order_by("name")[:SEARCH_LIMIT]) if c]
    candidates = [c for c in suggestions(user) if c.kind != AudienceKind.DISTRICT and matches(query, c.label)]
    if _may_message_schools(user):
        candidates += [c for c in (choice_for_key(user, f"section:{s.pk}") for s in
                                   scoping.sections_for(user).order_by("title").only("pk", "title")[:SCAN_LIMIT]
                                   if matches(query, s.title)) if c]
    found += candidates
    found += _student_matches(user, query)
    unique: dict[str, Choice] = {}
    for choice in found:
        unique.setdefault(choice.key, choice)
    return list(unique.values())[:SEARCH_LIMIT]


def _student_matches(user: Any, query: str) -> list[Choice]:
    """The sender's students whose name or student number matches, through roster's indexed search column."""
    condition = search_condition(query)
    if condition is None:
        return []
    students = scoping.staff_students_for(user).filter(condition).order_by("family_name", "given_name")
    result = []
    for pk in students.values_list("pk", flat=True)[:SEARCH_LIMIT]:
        choice = choice_for_key(user, f"family:{pk}")
        if choice is not None:
            result.append(choice)
    return result


def audience_for(choices: list[Choice]) -> dict[str, Any]:
    """One audience from the chips: a single kind merged into one part, several kinds as a "mixed" audience."""
    if not choices:
        raise AudienceError(_("Add at least one family, class, grade, school or list."))
    merged: dict[tuple[str, tuple[int, ...]], dict[str, Any]] = {}
    for choice in choices:
        part = choice.part
        key = (part["kind"], tuple(part.get("schools", [])) if part["kind"] == AudienceKind.GRADES else ())
        into = merged.setdefault(key, {"kind": part["kind"]})
        for field, values in part.items():
            if field != "kind":
                into[field] = sorted(set(into.get(field, [])) | set(values), key=str)
    parts = list(merged.values())
    return parts[0] if len(parts) == 1 else {"kind": "mixed", "parts": parts}


def audience_label(choices: list[Choice]) -> str:
    return ", ".join(c.label for c in choices)[:255]
