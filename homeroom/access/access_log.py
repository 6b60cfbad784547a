"""FERPA's record of access: who viewed which student's record, when, and what (writes and reads)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from homeroom.access.scoping import scope_for
from homeroom.core.models import AccessLog
from homeroom.roster.models import Student


def _student_table() -> str:
    return connection.ops.quote_name(Student._meta.db_table)


def _id_list_sql(ids: list[int]) -> tuple[str, list[Any]]:
    """A one-parameter list of ids, so the statement stays the same size however many students a page showed."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [ids]
    return "SELECT value FROM json_each(%s)", [json.dumps(ids)]


def record_student_access(
    *, user: Any, student_ids: Iterable[int] | QuerySet[Any], action: str, via: str = ""
) -> None:
    """Write one access row per student shown, for the whole request in one INSERT … SELECT statement.

    `user` is the signed-in viewer. A read without an account (a family's signed booking link) has no viewer:
    pass the anonymous user and say how the page was reached in `via`; an unattributed read without it is refused.

    `student_ids` is a list of ids, or a queryset of students (or of their ids) that the database reads
    itself, so a page or an export listing thousands of students still costs one query, not one per
    student, and never loads the ids into Python. Ids of students that do not exist are skipped.
    """
    viewer_id = user.pk if user is not None and user.is_authenticated else None
    if viewer_id is None and not via:
        raise ValueError("a read without a signed-in viewer must say how it was reached (via)")
    source_sql: str
    source_params: Any
    if isinstance(student_ids, QuerySet):
        # A queryset of students, or already of their ids (values("student_id")): one column for IN (…).
        inner = student_ids if student_ids._fields else student_ids.values("pk")  # type: ignore[attr-defined]
        try:
            source_sql, source_params = inner.order_by().query.sql_with_params()
        except EmptyResultSet:  # e.g. filter(id__in=[]): no student was shown
            return
    else:
        ids = sorted({int(sid) for sid in student_ids})
        if not ids:
            return
        source_sql, source_params = _id_list_sql(ids)
    table = connection.ops.quote_name(AccessLog._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        f"INSERT INTO {table} (user_id, student_id, action, via, at) "  # noqa: S608 - names from models, values bound
        f"SELECT %s, s.id, %s, %s, %s FROM {_student_table()} s WHERE s.id IN ({source_sql})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [viewer_id, action, via, at, *list(source_params)])


def access_log_for(
    user: Any,
    *,
    student_id: int | None = None,
    student_number: str | None = None,
    viewer_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessLog]:
    """Rows a district administrator (their district) or principal (their schools) may read."""
    scope = scope_for(user)
    condition = Q(pk__in=[])
    if scope.district_ids:
        condition |= Q(student__district_id__in=scope.district_ids)
    if scope.principal_school_ids:
        condition |= Q(student__school_id__in=scope.principal_school_ids)
    rows = AccessLog.objects.filter(condition)
    if student_id is not None:
        rows = rows.filter(student_id=student_id)
    if student_number:
        rows = rows.filter(student__identifier=student_number)
    if viewer_id is not None:
        rows = rows.filter(user_id=viewer_id)
    if since is not None:
        rows = rows.filter(at__date__gte=since)
    if until is not None:
        rows = rows.filter(at__date__lte=until)
    return rows.select_related("user__staff", "student")
