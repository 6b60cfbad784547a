"""Writes FERPA's record of access: who viewed which student's record, when, and what."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeroom.core.models import AccessLog


def record_student_access(*, user: Any, student_ids: Iterable[int], action: str) -> None:
    rows = [AccessLog(user_id=user.pk, student_id=sid, action=action) for sid in set(student_ids)]
    if rows:
        AccessLog.objects.bulk_create(rows)
