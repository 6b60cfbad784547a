"""Reading attendance.csv into plain rows; every cell that cannot be read becomes a Problem (file, row, field)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from homeroom.roster.importers.cells import Row, _date, shown
from homeroom.roster.importers.problems import Problems
from homeroom.roster.importers.source import Limits, SourceFile, open_table
from homeroom.roster.importers.spec import FileSpec

FILE_NAME = "attendance.csv"
SPEC = FileSpec(
    required=("studentSourcedId", "date", "status"),
    read=("reasonCode", "documentationReceived", "documentationType", "schoolSourcedId", "minutesPresent",
          "minutesInDay", "recordStatus"),
)
# What SIS exports write for each status, compared after lower-casing and turning _ and - into spaces.
STATUS_WORDS = {
    "present": "present",
    "absent": "absent_full", "absent full day": "absent_full", "absent full": "absent_full",
    "absent half day": "absent_half", "absent half": "absent_half", "half day": "absent_half",
    "tardy": "tardy", "late": "tardy",
    "early dismissal": "early_dismissal", "dismissed early": "early_dismissal",
}
DOCUMENT_KINDS = {"parent": "parent", "medical": "medical"}
RECORD_STATUS = {"active": False, "tobedeleted": True}
MAX_MINUTES = 1440


@dataclass(slots=True)
class AttendanceRow:
    row: int
    student: str
    day: date
    status: str
    reason: str = ""
    documentation_on: date | None = None
    documentation_kind: str = ""
    school: str = ""
    minutes_present: int | None = None
    minutes_in_day: int | None = None
    delete: bool = False


def _words(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value.strip().lower())


def _minutes(row: Row, column: str) -> int | None:
    value = row.values.get(column, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > MAX_MINUTES:
        row.error(column, _("“%(value)s” is not a number of minutes (0 to 1440).") % {"value": shown(value)})
        return None
    return int(value)


def _day(row: Row, column: str, *, required: bool = False) -> date | None:
    """A date cell: the common well-formed case without building an error message first."""
    value = row.values.get(column, "").strip()
    if value:
        try:
            return _date(value)
        except ValueError:
            pass
    return row.date(column, required=required)


def parse_row(row: Row, reasons: frozenset[str]) -> AttendanceRow | None:
    values = row.values
    student = values.get("studentSourcedId", "").strip()
    if not student or len(student) > 255 or "\x00" in student:
        student = row.text("studentSourcedId", required=True)
    day = _day(row, "date", required=True)
    raw_status = values.get("status", "").strip()
    status = STATUS_WORDS.get(raw_status.lower()) or STATUS_WORDS.get(_words(raw_status), "")
    if not raw_status:
        row.error("status", _("A value is required."))
    elif not status:
        row.error("status", _("“%(value)s” is not one of: present, absent full day, absent half day, tardy, "
                              "early dismissal.") % {"value": shown(raw_status)})
    reason = values.get("reasonCode", "").strip().lower()
    if reason and reason not in reasons:
        reason = _words(row.text("reasonCode", max_length=40)).replace(" ", "_")
        if reason and reason not in reasons:
            row.error("reasonCode", _("“%(value)s” is not one of: %(options)s.")
                      % {"value": shown(reason), "options": ", ".join(sorted(reasons))})
    documentation_on = _day(row, "documentationReceived") if values.get("documentationReceived") else None
    kind = row.choice("documentationType", DOCUMENT_KINDS) if values.get("documentationType") else ""
    if kind and documentation_on is None:
        row.error("documentationReceived", _("A documentationType needs the date the documentation was received."))
    minutes_present = _minutes(row, "minutesPresent") if values.get("minutesPresent") else None
    minutes_in_day = _minutes(row, "minutesInDay") if values.get("minutesInDay") else None
    if (minutes_present is None) != (minutes_in_day is None):
        row.error("minutesInDay" if minutes_in_day is None else "minutesPresent",
                  _("Give both minutesPresent and minutesInDay, or neither."))
    elif minutes_present is not None and minutes_in_day is not None and (
            minutes_in_day == 0 or minutes_present > minutes_in_day):
        row.error("minutesPresent", _("minutesPresent must be between 0 and minutesInDay, which cannot be 0."))
    record_status = values.get("recordStatus", "").strip().lower()
    delete = RECORD_STATUS.get(record_status or "active")
    if delete is None:
        row.error("recordStatus", _("“%(value)s” is not active or tobedeleted.") % {"value": shown(record_status)})
    if not student or day is None or not status:
        return None
    school = values.get("schoolSourcedId", "").strip()
    return AttendanceRow(
        row=row.number, student=student, day=day, status=status, reason=reason, documentation_on=documentation_on,
        documentation_kind=kind or ("parent" if documentation_on else ""),
        school=row.text("schoolSourcedId") if school else "",
        minutes_present=minutes_present, minutes_in_day=minutes_in_day, delete=bool(delete),
    )


class _FastPath:
    """Reads a row whose every cell is well formed without building a Row; None means "read it the slow way".

    A district's year is millions of rows, nearly all of them clean; error messages are only ever built by
    parse_row, so the two readings cannot disagree about what is a problem. Columns the header lacks read as
    empty without a lookup (an index past the row's end: rows are as wide as the header).
    """

    def __init__(self, columns: list[str], reasons: frozenset[str]) -> None:
        index = {column: position for position, column in enumerate(columns)}
        self.student, self.day, self.status = index["studentSourcedId"], index["date"], index["status"]
        absent = len(columns) + 1  # never a cell: read as ""
        (self.reason, self.received, self.kind, self.school, self.present, self.in_day,
         self.record) = (index.get(column, absent) for column in SPEC.read)
        self.reasons = reasons

    def parse(self, number: int, values: list[str]) -> AttendanceRow | None:
        width = len(values)
        student = values[self.student].strip()
        status = STATUS_WORDS.get(values[self.status].strip().lower())
        if not student or len(student) > 255 or "\x00" in student or status is None:
            return None
        try:
            day = _date(values[self.day].strip())
        except ValueError:
            return None
        reason = values[self.reason].strip().lower() if self.reason < width else ""
        received = values[self.received].strip() if self.received < width else ""
        kind = values[self.kind].strip().lower() if self.kind < width else ""
        school = values[self.school].strip() if self.school < width else ""
        record = values[self.record].strip().lower() if self.record < width else ""
        if ((reason and reason not in self.reasons) or (kind and (kind not in DOCUMENT_KINDS or not received))
                or (self.present < width and values[self.present].strip())
                or (self.in_day < width and values[self.in_day].strip())
                or len(school) > 255 or "\x00" in school or (record and record not in ("active", "tobedeleted"))):
            return None
        documentation_on = None
        if received:
            try:
                documentation_on = _date(received)
            except ValueError:
                return None
        return AttendanceRow(number, student, day, status, reason, documentation_on,
                             kind or ("parent" if received else ""), school, None, None, record == "tobedeleted")


class AttendanceFile:
    """An attendance CSV, its rows streamed: never held in memory, however many million rows it has."""

    def __init__(self, source: SourceFile, problems: Problems, reasons: frozenset[str], limits: Limits) -> None:
        self.name = source.name
        self.problems = problems
        self.reasons = reasons
        self.table = open_table(SPEC, source, problems, limits)

    @property
    def readable(self) -> bool:
        """The header was right and the reading went to the end of the file."""
        return self.table is not None and not self.table.stopped

    def __iter__(self) -> Iterator[AttendanceRow]:
        if self.table is None:
            return
        columns, name, problems, reasons = self.table.columns, self.name, self.problems, self.reasons
        fast = _FastPath(columns, reasons)
        for number, values in self.table.values():
            parsed = fast.parse(number, values)
            if parsed is None:  # something to report: the full, cell-by-cell reading names every problem
                parsed = parse_row(Row(name, number, dict(zip(columns, values, strict=False)), problems), reasons)
            if parsed is not None:
                yield parsed
