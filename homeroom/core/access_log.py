"""FERPA's record of access: who viewed which student's record, when, and what (writes and reads)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from homeroom.core.models import AccessLog
from homeroom.core.scoping import scope_for


def record_student_access(*, user: Any, student_ids: Iterable[int], action: str) -> None:
    rows = [AccessLog(user_id=user.pk, student_id=sid, action=action) for sid in set(student_ids)]
    if rows:
        AccessLog.objects.bulk_create(rows)


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
