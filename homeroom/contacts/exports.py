"""Writers for the monthly contact log: streamed CSV, and XLSX in XlsxWriter's constant-memory mode.

CSV cells go through core.spreadsheet.safe_row (no formula injection); XLSX cells are written as typed strings,
which a spreadsheet never evaluates.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any

import xlsxwriter
from django.utils import formats
from django.utils.translation import gettext as _

from homeroom.contacts.ledger import definitions
from homeroom.contacts.monthly import ExportRow, export_headers, export_values
from homeroom.core.spreadsheet import safe_row

# Width in characters per column, in export_headers order (Notes is dropped when hidden).
WIDTHS = {"date": 17, "staff": 22, "student": 24, "guardian": 24, "relationship": 14, "method": 18,
          "direction": 16, "recorded_as": 18, "purpose": 20, "outcome": 22, "language": 10, "interpreter": 11,
          "notes": 60, "follow_up": 12}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def csv_lines(rows: Iterable[ExportRow], *, with_notes: bool) -> Iterator[str]:
    """The CSV file line by line (UTF-8 BOM first so spreadsheet programs read accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(safe_row(export_headers(with_notes)))
    yield "\ufeff" + flush()
    for number, row in enumerate(rows, start=1):
        values = export_values(row, with_notes)
        values[0] = row.occurred_at.strftime("%Y-%m-%d %H:%M")
        values[-1] = row.follow_up_on.isoformat() if row.follow_up_on else ""
        writer.writerow(safe_row(values))
        if number % 500 == 0:
            yield flush()
    yield flush()


def write_csv(rows: Iterable[ExportRow], out: IO[str], *, with_notes: bool) -> None:
    for chunk in csv_lines(rows, with_notes=with_notes):
        out.write(chunk)


def _sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def write_xlsx(rows: Iterable[ExportRow], out: IO[bytes] | str, *, with_notes: bool, group: str = "month",
               sheet_title: str = "") -> None:
    """One row per contact, a sheet per month (group="month") or per staff member (group="staff").

    Rows must arrive ordered by the grouping key: constant-memory mode writes each row once and never
    goes back, which is what keeps memory flat for a 20,000-contact month.
    """
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False, "remove_timezone": True})
    header_format = workbook.add_format({"bold": True, "bg_color": "#E6E8EC", "bottom": 1, "text_wrap": True})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    headers = export_headers(with_notes)
    keys = [k for k in WIDTHS if with_notes or k != "notes"]
    used: set[str] = set()
    sheet: Any = None
    current_key: Any = object()
    row_number = 0

    def new_sheet(title: str) -> Any:
        ws = workbook.add_worksheet(_sheet_name(title, used))
        ws.freeze_panes(1, 0)
        for column, key in enumerate(keys):
            ws.set_column(column, column, WIDTHS[key], datetime_format if key == "date" else (
                date_format if key == "follow_up" else None))
        ws.write_row(0, 0, headers, header_format)
        ws.autofilter(0, 0, 0, len(headers) - 1)
        return ws

    for row in rows:
        key = row.staff_id if group == "staff" else (row.occurred_at.year, row.occurred_at.month)
        if key != current_key:
            current_key = key
            title = row.staff if group == "staff" else formats.date_format(row.occurred_at, "YEAR_MONTH_FORMAT")
            sheet, row_number = new_sheet(title), 0
        row_number += 1
        values = export_values(row, with_notes)
        for column, value in enumerate(values):
            if isinstance(value, datetime):
                sheet.write_datetime(row_number, column, value, datetime_format)
            elif isinstance(value, date):
                sheet.write_datetime(row_number, column, value, date_format)
            elif value is None or value == "":
                continue
            else:
                sheet.write_string(row_number, column, value)
    if sheet is None:
        new_sheet(sheet_title or "Contacts")
    notes = workbook.add_worksheet(_sheet_name(str(_("Definitions")), used))
    notes.set_column(0, 0, 110)
    notes.write_string(0, 0, str(_("What this log counts")), header_format)
    for number, text in enumerate(definitions(), start=1):
        notes.write_string(number, 0, text)
    workbook.close()
