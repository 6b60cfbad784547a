"""Fresh planner statistics for the tables an import changed (issue #14: pages crawled right after an import)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model

from homeroom.core.models import User
from homeroom.roster import generation
from homeroom.roster import models as m

TABLES: dict[str, type[Model]] = {
    "district": m.District, "schools": m.School, "sessions": m.AcademicSession, "households": m.Household,
    "users": User, "staff": m.Staff, "staff_roles": m.StaffRole, "students": m.Student, "guardians": m.Guardian,
    "student_guardians": m.StudentGuardian, "sections": m.Section, "enrollments": m.Enrollment,
    "caseloads": m.Caseload, "grade_categories": m.GradeCategory, "line_items": m.LineItem, "results": m.Result,
}


def touched_tables(summary: dict[str, dict[str, int]]) -> list[str]:
    """The tables of every entity that saw a row created, updated or deactivated."""
    return [TABLES[entity]._meta.db_table for entity, counts in summary.items()
            if entity in TABLES and counts["created"] + counts["updated"] + counts["deactivated"]]


def analyze_touched(summary: dict[str, dict[str, int]]) -> list[str]:
    """ANALYZE each touched table (PostgreSQL and SQLite both take a table name); returns the tables analysed."""
    tables = touched_tables(summary)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {quote(table)}")
        if tables and connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
    if tables:
        generation.bump()  # figures cached over a scope were counted from the roster before this import
    return tables
