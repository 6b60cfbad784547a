"""Writes to the school calendar: school years, closures and closure imports from CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from homeroom.roster.models import District, School
from homeroom.schoolcalendar.days import add_school_days, clear_cache, school_days_between
from homeroom.schoolcalendar.models import Closure, SchoolCalendar

__all__ = [
    "ImportResult",
    "add_school_days",
    "calendar_create",
    "closure_create",
    "closure_delete",
    "closures_import_csv",
    "school_days_between",
]


def calendar_create(
    *, district: District, label: str, start_date: date, end_date: date, school: School | None = None
) -> SchoolCalendar:
    calendar = SchoolCalendar.objects.create(
        district=district, school=school, label=label, start_date=start_date, end_date=end_date
    )
    clear_cache()
    return calendar


def closure_create(
    *,
    district: District,
    start_date: date,
    end_date: date | None = None,
    reason: str = "",
    school: School | None = None,
    created_by: Any = None,
) -> Closure:
    closure = Closure.objects.create(
        district=district,
        school=school,
        start_date=start_date,
        end_date=end_date or start_date,
        reason=reason,
        created_by=created_by,
    )
    clear_cache()
    return closure


def closure_delete(*, closure: Closure) -> None:
    closure.delete()
    clear_cache()


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


@transaction.atomic
def closures_import_csv(*, district: District, text: str, source_name: str, created_by: Any = None) -> ImportResult:
    """Columns start_date (or date), end_date, school (sourced id or number; empty = district-wide), reason.

    Every row is checked first; nothing is written if any row has a problem.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {h.strip() for h in (reader.fieldnames or [])}
    result = ImportResult()
    if not headers & {"start_date", "date"}:
        result.errors.append(_("%(file)s: the header needs a start_date (or date) column.") % {"file": source_name})
        return result
    schools: dict[str, School] = {}
    for candidate in School.objects.filter(district=district):
        for key in (candidate.sourced_id, candidate.identifier):
            if key:
                schools[key] = candidate
    rows: list[Closure] = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        start_text = row.get("start_date") or row.get("date", "")
        start = _parse_date(start_text)
        if start is None:
            result.errors.append(
                _("%(file)s row %(row)s, start_date: “%(value)s” is not a date (YYYY-MM-DD).")
                % {"file": source_name, "row": number, "value": start_text}
            )
            continue
        end = start
        if row.get("end_date"):
            parsed_end = _parse_date(row["end_date"])
            if parsed_end is None or parsed_end < start:
                result.errors.append(
                    _("%(file)s row %(row)s, end_date: “%(value)s” is not a date on or after start_date.")
                    % {"file": source_name, "row": number, "value": row["end_date"]}
                )
                continue
            end = parsed_end
        school: School | None = None
        if row.get("school"):
            school = schools.get(row["school"])
            if school is None:
                result.errors.append(
                    _("%(file)s row %(row)s, school: “%(value)s” is not a school of this district.")
                    % {"file": source_name, "row": number, "value": row["school"]}
                )
                continue
        rows.append(
            Closure(district=district, school=school, start_date=start, end_date=end,
                    reason=row.get("reason", "")[:200], created_by=created_by)
        )
    if result.errors:
        return result
    Closure.objects.bulk_create(rows)
    result.created = len(rows)
    clear_cache()
    return result
