"""Reading an export: a .zip or a folder of CSV files, streamed row by row within set limits.

Nothing here holds a whole file in memory: a table keeps how to open its file, and its rows are read one at a
time each time it is iterated. Every limit (see Limits) refuses the export with a message naming the file.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

from homeroom.roster.importers.i18n import gettext as _
from homeroom.roster.importers.problems import Problems
from homeroom.roster.importers.spec import SPECS, FileSpec

MB = 1024 * 1024
# Only what SIS exports use; bzip2 and lzma decompress a whole chunk at once, with no bound on the output.
COMPRESSIONS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
ARCHIVES = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz")
# The ratio is only meaningful for files big enough to matter: a short CSV can compress very well.
RATIO_FLOOR = 1 * MB
# A damaged entry fails while it is read, not when the .zip is opened.
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, OSError)

csv.field_size_limit(1024 * 1024)

Opener = Callable[[], IO[bytes]]


@dataclass(frozen=True)
class Limits:
    """How big an export may be; all configurable in settings (HOMEROOM_IMPORT_*)."""

    file_bytes: int = 512 * MB  # each CSV, uncompressed
    total_bytes: int = 2048 * MB  # all CSVs together, uncompressed
    ratio: int = 100  # uncompressed ÷ compressed size of one CSV in the .zip
    entries: int = 200  # names in the .zip's directory
    row_chars: int = 1024 * 1024  # one line of a CSV

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            file_bytes=settings.IMPORT_MAX_FILE_MB * MB,
            total_bytes=settings.IMPORT_MAX_TOTAL_MB * MB,
            ratio=settings.IMPORT_MAX_RATIO,
            entries=settings.IMPORT_MAX_ENTRIES,
            row_chars=settings.IMPORT_MAX_ROW_KB * 1024,
        )


@dataclass(frozen=True)
class SourceFile:
    """One CSV of the export, not yet read."""

    name: str  # as shown to people, e.g. "users.csv"
    open: Opener


class RowTooLong(Exception):
    """A line of a CSV passed Limits.row_chars."""


class Table:
    """One CSV file: its header, and its rows as (row number, {column: text}), read afresh on each iteration."""

    def __init__(self, name: str, spec: FileSpec, columns: list[str], source: SourceFile, problems: Problems,
                 limits: Limits) -> None:
        self.name = name
        self.spec = spec
        self.columns = columns
        self.source = source
        self.problems = problems
        self.limits = limits
        self.stopped = False  # the last reading stopped before the end of the file (the problem says why)

    def has(self, column: str) -> bool:
        return column in self.columns

    @property
    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        columns = self.columns
        for row_number, values in self.values():
            yield row_number, dict(zip(columns, values, strict=False))

    def values(self) -> Iterator[tuple[int, list[str]]]:
        """The rows as (row number, cells in column order), each as wide as the header."""
        name, width = self.name, len(self.columns)
        # A person counts rows the way a spreadsheet shows them: the header is row 1.
        row_number = 1
        with self.source.open() as raw:
            text = _text(raw)
            reader = csv.reader(_lines(text, self.limits.row_chars), strict=True)
            try:
                next(reader, None)  # the header, checked when the table was opened
                for values in reader:
                    row_number += 1
                    if not values or (len(values) == 1 and not values[0].strip()):
                        continue
                    if len(values) > width and any(v.strip() for v in values[width:]):
                        self.problems.error(name, row_number, "", _(
                            "This row has %(found)s values but the header names %(width)s columns.")
                            % {"found": len(values), "width": width})
                        continue
                    if len(values) < width:
                        values = values + [""] * (width - len(values))
                    yield row_number, values
            except csv.Error as exc:
                self.stopped = True
                self.problems.error(name, row_number + 1, "", _("This row cannot be read: %(reason)s.")
                                    % {"reason": exc})
            except RowTooLong:
                self.stopped = True
                self.problems.error(name, row_number + 1, "", _(
                    "This row is longer than %(max)s characters; Homeroom stopped reading the file here.")
                    % {"max": f"{self.limits.row_chars:,}"})
            except UnicodeDecodeError:
                self.stopped = True
                _report_encoding(name, self.source, self.problems)
            except UNREADABLE as exc:
                self.stopped = True
                _unreadable(name, exc, self.problems)


def _text(raw: IO[bytes]) -> io.TextIOWrapper:
    # utf-8-sig drops the byte-order mark spreadsheet programs like to add; newline="" keeps quoted line breaks.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")  # type: ignore[arg-type]


def _lines(text: IO[str], limit: int) -> Iterator[str]:
    """The file's lines, refusing one longer than `limit` before it is all in memory."""
    while True:
        line = text.readline(limit + 1)
        if not line:
            return
        if len(line) > limit:
            raise RowTooLong
        yield line


def _report_encoding(name: str, source: SourceFile, problems: Problems) -> None:
    try:
        _find_encoding_error(name, source, problems)
    except UNREADABLE as exc:
        _unreadable(name, exc, problems)


def _find_encoding_error(name: str, source: SourceFile, problems: Problems) -> None:
    """Name the line and byte where the text stops being UTF-8 (read again, piece by piece, only on this path)."""
    with source.open() as raw:
        if raw.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            problems.error(name, 1, "", _("This file is UTF-16 text. Save it as “CSV UTF-8”."))
            return
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    line_number, offset = 1, 0
    with source.open() as raw:
        for piece in iter(lambda: raw.readline(MB), b""):
            try:
                decoder.decode(piece)
            except UnicodeDecodeError as exc:
                problems.error(name, line_number, "", _(
                    "This file is not UTF-8 text (byte %(offset)s). Save it as “CSV UTF-8”.")
                    % {"offset": offset + exc.start})
                return
            offset += len(piece)
            line_number += piece.endswith(b"\n")
    problems.error(name, None, "", _("This file is not UTF-8 text. Save it as “CSV UTF-8”."))


def _unreadable(name: str, exc: Exception, problems: Problems) -> None:
    problems.error(name, None, "", _("This file cannot be read from the .zip (%(reason)s).") % {"reason": exc})


def read_header(key: str, source: SourceFile, problems: Problems, limits: Limits) -> Table | None:
    """Open one CSV file of a OneRoster export and check its header; None when it cannot be read at all."""
    return open_table(SPECS[key], source, problems, limits)


def open_table(spec: FileSpec, source: SourceFile, problems: Problems, limits: Limits) -> Table | None:
    """Open one CSV file read to `spec` and check its header; None when it cannot be read at all."""
    name = source.name
    try:
        with source.open() as raw:
            header = next(csv.reader(_lines(_text(raw), limits.row_chars), strict=True), None)
    except UnicodeDecodeError:
        _report_encoding(name, source, problems)
        return None
    except RowTooLong:
        problems.error(name, 1, "", _("The header is longer than %(max)s characters.")
                       % {"max": f"{limits.row_chars:,}"})
        return None
    except csv.Error as exc:
        problems.error(name, 1, "", _("The header cannot be read: %(reason)s.") % {"reason": exc})
        return None
    except UNREADABLE as exc:
        _unreadable(name, exc, problems)
        return None
    if not header or not any(cell.strip() for cell in header):
        problems.error(name, 1, "", _("The file is empty: the first row must name the columns."))
        return None
    if any("\x00" in cell for cell in header):
        problems.error(name, 1, "", _("The header contains a NUL character: this is not a CSV text file."))
        return None
    columns = [cell.strip() for cell in header]
    if not check_header(name, spec, columns, problems):
        return None  # without a required column every row would only repeat the same complaint
    return Table(name, spec, columns, source, problems, limits)


class ExportFiles:
    """The CSV files of an export, {lowercased name without .csv: SourceFile}, open for as long as the `with`."""

    def __init__(self, source: Path | IO[bytes], problems: Problems, limits: Limits) -> None:
        self.source, self.problems, self.limits = source, problems, limits
        self.stack = ExitStack()
        self.files: dict[str, SourceFile] = {}

    def __enter__(self) -> dict[str, SourceFile]:
        label = _source_label(self.source)
        try:
            if isinstance(self.source, Path) and self.source.is_dir():
                self._folder(self.source)
            else:
                archive = self.stack.enter_context(zipfile.ZipFile(self.source))
                self._archive(archive)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            self.problems.error(label, None, "", _("This is not a readable .zip file or folder (%(reason)s).")
                                % {"reason": exc})
        if self.problems.errors:
            self.files = {}
        return self.files

    def __exit__(self, *exc: object) -> None:
        self.stack.close()

    def _add(self, name: str, source: SourceFile) -> None:
        key = name[:-4].lower()
        if key in self.files:
            self.problems.error(name, None, "", _("Two files in the export are called %(name)s; keep one.")
                                % {"name": name})
            return
        self.files[key] = source

    def _folder(self, folder: Path) -> None:
        total = 0
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() != ".csv" or path.is_symlink() or not path.is_file():
                continue
            size = path.stat().st_size
            if size > self.limits.file_bytes:
                self._too_big(path.name, size)
                continue
            total += size
            self._add(path.name, SourceFile(path.name, partial(_open_binary, path)))
        self._check_total(_source_label(folder), total)

    def _archive(self, archive: zipfile.ZipFile) -> None:
        entries = archive.infolist()
        label = _source_label(self.source)
        if len(entries) > self.limits.entries:
            self.problems.error(label, None, "", _(
                "The .zip holds %(count)s entries; an export has at most %(max)s. Zip only the CSV files.")
                % {"count": f"{len(entries):,}", "max": self.limits.entries})
            return
        total = 0
        for info in entries:
            path = info.filename.replace("\\", "/")
            name = path.rsplit("/", 1)[-1]
            if info.is_dir() or name.startswith("._") or path.startswith("__MACOSX/"):
                continue
            if not self._safe_entry(info, path, name):
                continue
            if not name.lower().endswith(".csv"):
                continue
            if not self._within_limits(info, name):
                continue
            total += info.file_size
            self._add(name, SourceFile(name, partial(archive.open, info)))
        self._check_total(label, total)

    def _safe_entry(self, info: zipfile.ZipInfo, path: str, name: str) -> bool:
        """Refuse names that climb out of the folder, links, encrypted entries and archives inside the archive."""
        parts = PurePosixPath(path).parts
        if path.startswith("/") or ".." in parts or (len(path) > 1 and path[1] == ":"):
            self.problems.error(info.filename, None, "", _(
                "This name points outside the export's folder; Homeroom refuses such a .zip."))
            return False
        if stat.S_ISLNK(info.external_attr >> 16):
            self.problems.error(name, None, "", _("This entry is a symbolic link, not a file; Homeroom refuses "
                                                  "such a .zip."))
            return False
        if info.flag_bits & 0x1:
            self.problems.error(name, None, "", _("This file is encrypted; zip the export without a password."))
            return False
        if name.lower().endswith(ARCHIVES):
            self.problems.error(name, None, "", _("This is an archive inside the archive; zip the CSV files "
                                                  "themselves."))
            return False
        return True

    def _within_limits(self, info: zipfile.ZipInfo, name: str) -> bool:
        if info.compress_type not in COMPRESSIONS:
            self.problems.error(name, None, "", _("This file is compressed in a way Homeroom does not read; use "
                                                  "ordinary (deflate) zip compression."))
            return False
        if info.file_size > self.limits.file_bytes:
            self._too_big(name, info.file_size)
            return False
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > self.limits.ratio:
            self.problems.error(name, None, "", _(
                "This file unpacks to %(ratio)s times its compressed size (at most %(max)s); Homeroom refuses it "
                "as a possible zip bomb.") % {"ratio": f"{ratio:,.0f}", "max": self.limits.ratio})
            return False
        return True

    def _too_big(self, name: str, size: int) -> None:
        self.problems.error(name, None, "", _("This file is %(size)s MB uncompressed; at most %(max)s MB is read.")
                            % {"size": f"{size / MB:,.0f}", "max": f"{self.limits.file_bytes // MB:,}"})

    def _check_total(self, label: str, total: int) -> None:
        if total > self.limits.total_bytes:
            self.problems.error(label, None, "", _(
                "The export is %(size)s MB uncompressed; at most %(max)s MB is read.")
                % {"size": f"{total / MB:,.0f}", "max": f"{self.limits.total_bytes // MB:,}"})


def _open_binary(path: Path) -> IO[bytes]:
    return path.open("rb")


def _source_label(source: Path | IO[bytes]) -> str:
    if isinstance(source, Path):
        return source.name
    # An open file's name can be a whole path on the server: people see only the file's own name.
    return PurePosixPath(str(getattr(source, "name", "") or "upload").replace("\\", "/")).name or "upload"


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
