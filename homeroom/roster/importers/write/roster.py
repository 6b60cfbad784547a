"""Writing the district, its schools, sessions, classes and enrollments."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from homeroom.roster import models as m
from homeroom.roster.importers.problems import ImportReport
from homeroom.roster.importers.records import Export
from homeroom.roster.importers.write.upsert import Incoming, Upserted, upsert

ENROLLMENT_ROLE = {"student": "student", "teacher": "teacher", "aide": "aide", "administrator": "administrator",
                   "proctor": "aide"}


def district_org(export: Export) -> Any:
    return next((org for org in export.orgs.values() if org.org_type == "district"), None)


def find_district(export: Export, slug: str | None) -> tuple[m.District | None, str]:
    """The district the export belongs to (None if it does not exist yet) and its slug."""
    org = district_org(export)
    if slug:
        return m.District.objects.filter(slug=slug).first(), slug
    if org is not None:
        existing = m.District.objects.filter(sourced_id=org.sourced_id).exclude(sourced_id="").first()
        if existing is not None:
            return existing, existing.slug
        slug = slugify(org.name)[:50] or "default"
    else:
        slug = "default"
    return m.District.objects.filter(slug=slug).first(), slug


def write_district(export: Export, district: m.District | None, slug: str, report: ImportReport) -> m.District:
    counts = report.counts("district")
    org = district_org(export)
    if district is None:
        district = m.District.objects.create(
            slug=slug, name=org.name if org else slug.replace("-", " ").title(),
            sourced_id=org.sourced_id if org else "",
        )
        counts["created"] += 1
    elif org is not None and not district.sourced_id:
        district.sourced_id = org.sourced_id
        district.save(update_fields=["sourced_id"])
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    return district


def _is_bulk(export: Export, key: str) -> bool:
    return export.mode(key) == "bulk"


def write_schools(export: Export, district_id: int, report: ImportReport) -> Upserted:
    incoming = {
        sid: Incoming({"name": org.name, "identifier": org.identifier, "org_type": org.org_type,
                       "parent_sourced_id": org.parent_id}, org.active, org.modified)
        for sid, org in export.orgs.items() if org.org_type != "district"
    }
    return upsert(m.School, district_id, incoming, ["name", "identifier", "org_type", "parent_sourced_id"],
                  report, "schools", delta=export.mode("orgs") == "delta",
                  deactivate_missing=_is_bulk(export, "orgs"))


def write_sessions(export: Export, district_id: int, report: ImportReport) -> Upserted:
    fields = ["title", "session_type", "start_date", "end_date", "parent_sourced_id", "school_year"]
    incoming = {
        sid: Incoming({"title": s.title, "session_type": s.session_type, "start_date": s.start_date,
                       "end_date": s.end_date, "parent_sourced_id": s.parent_id, "school_year": s.school_year},
                      s.active, s.modified)
        for sid, s in export.sessions.items()
    }
    return upsert(m.AcademicSession, district_id, incoming, fields, report, "sessions",
                  delta=export.mode("academicsessions") == "delta",
                  deactivate_missing=_is_bulk(export, "academicsessions"))


def write_sections(export: Export, district_id: int, schools: dict[str, int], report: ImportReport) -> Upserted:
    fields = ["school_id", "title", "class_code", "class_type", "course_sourced_id", "course_title", "grades",
              "subjects", "periods", "location", "term_sourced_ids"]
    incoming: dict[str, Incoming] = {}
    for sid, c in export.classes.items():
        school_id = schools.get(c.school_id)
        if school_id is None:
            continue  # its school was deleted before it was ever imported
        values: dict[str, Any] = {
            "school_id": school_id, "title": c.title, "class_code": c.class_code,
            "class_type": c.class_type, "course_sourced_id": c.course_id, "grades": c.grades,
            "subjects": c.subjects, "periods": c.periods, "location": c.location, "term_sourced_ids": c.term_ids,
        }
        course = export.courses.get(c.course_id)
        if course is not None:
            values["course_title"] = course.title
        incoming[sid] = Incoming(values, c.active, c.modified)
    return upsert(m.Section, district_id, incoming, fields, report, "sections",
                  delta=export.mode("classes") == "delta", deactivate_missing=_is_bulk(export, "classes"))


def write_enrollments(export: Export, district_id: int, sections: dict[str, int], students: dict[str, int],
                      staff: dict[str, int], report: ImportReport) -> Upserted:
    fields = ["section_id", "role", "student_id", "staff_id", "primary", "begin_date", "end_date"]
    incoming: dict[str, Incoming] = {}
    # Each record is dropped as its row is built: the two side by side were the peak of a large import.
    for sid in list(export.enrollments):
        e = export.enrollments.pop(sid)
        student = e.role == "student"
        section_id = sections.get(e.class_id)
        person_id = (students if student else staff).get(e.user_id)
        if section_id is None or person_id is None:
            continue  # its class or person was deleted before it was ever imported
        incoming[sid] = Incoming(
            {"section_id": section_id, "role": ENROLLMENT_ROLE[e.role],
             "student_id": person_id if student else None,
             "staff_id": None if student else person_id,
             "primary": e.primary, "begin_date": e.begin_date, "end_date": e.end_date},
            e.active, e.modified,
        )
    return upsert(m.Enrollment, district_id, incoming, fields, report, "enrollments",
                  delta=export.mode("enrollments") == "delta", deactivate_missing=_is_bulk(export, "enrollments"))
