"""Reading an export: a .zip or a folder of CSV files, into named tables of text cells."""

from __future__ import annotations

import csv
import difflib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from homeroom.roster.importers.problems import Problems
from homeroom.roster.importers.spec import SPECS, FileSpec

csv.field_size_limit(1024 * 1024)


@dataclass
class Table:
    """One CSV file: its header and its rows as (row number, {column: text})."""

    name: str  # as shown to people, e.g. "users.csv"
    spec: FileSpec
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.columns

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self.rows)


def read_files(source: Path | IO[bytes], problems: Problems) -> dict[str, tuple[str, bytes]]:
    """{lowercased file name without .csv: (file name as given, bytes)} for every CSV in the export."""
    found: dict[str, tuple[str, bytes]] = {}
    try:
        if isinstance(source, Path) and source.is_dir():
            for path in sorted(source.iterdir()):
                if path.is_file() and path.suffix.lower() == ".csv":
                    found[path.stem.lower()] = (path.name, path.read_bytes())
            return found
        handle: Path | IO[bytes] = source
        with zipfile.ZipFile(handle) as archive:
            for info in archive.infolist():
                name = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
                if info.is_dir() or not name.lower().endswith(".csv") or name.startswith("._"):
                    continue
                found[name[:-4].lower()] = (name, archive.read(info))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        problems.error(_source_label(source), None, "", _("This is not a readable .zip file or folder (%(reason)s).")
                       % {"reason": exc})
    return found


def _source_label(source: Path | IO[bytes]) -> str:
    if isinstance(source, Path):
        return source.name
    return str(getattr(source, "name", "") or "upload")


def decode(name: str, data: bytes, problems: Problems) -> str | None:
    try:
        # utf-8-sig drops the byte-order mark spreadsheet programs like to add.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(name, line, "", _("This file is not UTF-8 text (byte %(offset)s). Save it as “CSV UTF-8”.")
                       % {"offset": exc.start})
        return None


def read_table(key: str, name: str, data: bytes, problems: Problems) -> Table | None:
    """Parse one CSV file and check its header; None when it cannot be read at all."""
    spec = SPECS[key]
    text = decode(name, data, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.error(name, 1, "", _("The header cannot be read: %(reason)s.") % {"reason": exc})
        return None
    if not header or not any(cell.strip() for cell in header):
        problems.error(name, 1, "", _("The file is empty: the first row must name the columns."))
        return None
    columns = [cell.strip() for cell in header]
    if not check_header(name, spec, columns, problems):
        return None  # without a required column every row would only repeat the same complaint
    table = Table(name=name, spec=spec, columns=columns)
    width = len(columns)
    row_number = 1
    try:
        for values in reader:
            # A person counts rows the way a spreadsheet shows them: the header is row 1.
            row_number += 1
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            if len(values) > width and any(v.strip() for v in values[width:]):
                problems.error(name, row_number, "", _("This row has %(found)s values but the header names %(width)s "
                                                        "columns.") % {"found": len(values), "width": width})
                continue
            if len(values) < width:
                values = values + [""] * (width - len(values))
            table.rows.append((row_number, dict(zip(columns, values, strict=False))))
    except csv.Error as exc:
        problems.error(name, row_number + 1, "", _("This row cannot be read: %(reason)s.") % {"reason": exc})
    return table


def check_header(name: str, spec: FileSpec, columns: list[str], problems: Problems) -> bool:
    """Report header problems; False only when a required column is missing."""
    ok = True
    seen: set[str] = set()
    unknown: list[str] = []
    for position, column in enumerate(columns, start=1):
        if not column:
            problems.error(name, 1, _("column %(n)s") % {"n": position},
                           _("This column has no name. Name it or delete it."))
            continue
        if column in seen:
            problems.error(name, 1, column, _("This column appears twice."))
        seen.add(column)
        if column not in spec.all_columns and not column.startswith("metadata."):
            unknown.append(column)
    missing_read = [c for c in (*spec.required, *spec.read) if c not in seen]
    for column in unknown:
        match = difflib.get_close_matches(column.lower(), [c.lower() for c in missing_read], n=1, cutoff=0.85)
        if match:
            intended = next(c for c in missing_read if c.lower() == match[0])
            problems.error(name, 1, column, _("This column is not part of OneRoster; did you mean %(column)s?")
                           % {"column": intended})
        else:
            problems.warn(name, 1, column, _("Unknown column, ignored."))
    for column in spec.required:
        if column not in seen:
            problems.error(name, 1, column, _("The required column %(column)s is missing.") % {"column": column})
            ok = False
    return ok
