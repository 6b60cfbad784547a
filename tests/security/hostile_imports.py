"""A corpus of hostile OneRoster uploads, generated into a folder (no tests in this module).

    python -m tests.security.hostile_imports OUT_DIR     # writes every case as OUT_DIR/<case>.zip

Each case is a .zip an attacker (or a broken SIS) could upload: zip bombs, archives in archives, huge rows and
fields, NUL bytes, the wrong encodings, names that climb out of the folder, symbolic links, broken headers,
binary garbage. `expected` is what the error must say, and `file` the name it must be about.
"""

from __future__ import annotations

import os
import random
import stat
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.roster.test_import_helpers import files_11, manifest

MB = 1024 * 1024
USERS_HEADER = files_11()["users.csv"].splitlines()[0]


@dataclass(frozen=True)
class Hostile:
    name: str
    file: str  # the file the first error must name
    expected: str  # a fragment of that error's message
    settings: dict[str, Any] = field(default_factory=dict)  # limits lowered so that the case stays quick


def _export(path: Path, files: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED,
            infos: list[tuple[zipfile.ZipInfo, bytes]] = ()) -> Path:  # type: ignore[assignment]
    """A .zip with a manifest naming the standard files, `files` as given, and hand-made entries."""
    names = {Path(name).name for name in files} | {Path(info.filename).name for info, _ in infos}
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        archive.writestr("manifest.csv", manifest({n: "" for n in names if n.endswith(".csv")}, "1.1", "bulk"))
        for name, data in files.items():
            archive.writestr(name, data)
        for info, data in infos:
            archive.writestr(info, data)
    return path


def _valid() -> dict[str, bytes | str]:
    return dict(files_11())


def _user_rows(count: int, start: int = 0) -> str:
    return "".join(f"x-{i},active,2024-08-01T00:00:00Z,true,sch-1,student,u{i},,Ana,Garcia,,,,,,,05,,,,,\n"
                   for i in range(start, start + count))


def zip_bomb(folder: Path) -> Path:
    """100 MB of rows that deflate to a few hundred KB: the ratio refuses it before a byte is parsed."""
    path = folder / "zip_bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("manifest.csv", manifest({"users.csv": ""}, "1.1", "bulk"))
        with archive.open("users.csv", "w", force_zip64=True) as entry:
            entry.write((USERS_HEADER + "\n").encode())
            row = _user_rows(1).encode()
            block = row * (MB // len(row))
            for _ in range(100):
                entry.write(block)
    return path


def oversized_file(folder: Path) -> Path:
    """A CSV bigger than the per-file limit (lowered to 1 MB here), compressed only as far as random text goes."""
    rng = random.Random(1)
    rows = "".join(f"r-{i},active,2024-08-01T00:00:00Z,true,sch-1,student,u{i},,{rng.random()},{rng.random()},"
                   f",,,,,,05,,,,,\n" for i in range(30_000))
    return _export(folder / "oversized_file.zip", _valid() | {"users.csv": USERS_HEADER + "\n" + rows})


def nested_zip(folder: Path) -> Path:
    inner = folder / "inner.zip"
    _export(inner, _valid())
    path = folder / "nested_zip.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(inner, "export/inner.zip")
        archive.writestr("manifest.csv", manifest({}, "1.1", "bulk"))
    inner.unlink()
    return path


def huge_row(folder: Path) -> Path:
    """One line of 2 MB without a line break (stored, not compressed): refused at the row limit, not read whole."""
    users = files_11()["users.csv"] + "x-1,active,2024-08-01T00:00:00Z,true,sch-1,student,u," + "A" * (2 * MB) + "\n"
    return _export(folder / "huge_row.zip", _valid() | {"users.csv": users},
                   compression=zipfile.ZIP_STORED)


def huge_field(folder: Path) -> Path:
    """A quoted field of 3 MB spread over short lines: the CSV field limit refuses it."""
    field_text = ("word " * 15 + "\n") * (3 * MB // 76)
    users = files_11()["users.csv"] + f'x-1,active,2024-08-01T00:00:00Z,true,sch-1,student,u,,"{field_text}",B' + \
        ",,,,,,,,,,,,\n"
    return _export(folder / "huge_field.zip", _valid() | {"users.csv": users},
                   compression=zipfile.ZIP_STORED)


def many_columns(folder: Path) -> Path:
    users = files_11()["users.csv"] + "x-1," + "z," * 200_000 + "\n"
    return _export(folder / "many_columns.zip", _valid() | {"users.csv": users},
                   compression=zipfile.ZIP_STORED)


def nul_bytes(folder: Path) -> Path:
    users = files_11()["users.csv"].replace("Sofia,Garcia", "Sof\x00ia,Garcia")
    return _export(folder / "nul_bytes.zip", _valid() | {"users.csv": users})


def nul_header(folder: Path) -> Path:
    return _export(folder / "nul_header.zip", _valid() | {"users.csv": b"\x00" * 4096})


def utf16(folder: Path) -> Path:
    return _export(folder / "utf16.zip", _valid() | {"users.csv": files_11()["users.csv"].encode("utf-16")})


def latin1(folder: Path) -> Path:
    users = files_11()["users.csv"].replace("Garcia", "Garc\xeda").encode("latin-1")
    return _export(folder / "latin1.zip", _valid() | {"users.csv": users})


def path_traversal(folder: Path) -> Path:
    files = _valid()
    users = files.pop("users.csv")
    return _export(folder / "path_traversal.zip", files | {"../../../etc/users.csv": users})


def absolute_path(folder: Path) -> Path:
    files = _valid()
    users = files.pop("users.csv")
    return _export(folder / "absolute_path.zip", files | {"/etc/users.csv": users})


def symlink_entry(folder: Path) -> Path:
    files = _valid()
    files.pop("users.csv")
    link = zipfile.ZipInfo("users.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return _export(folder / "symlink_entry.zip", files, infos=[(link, b"/etc/passwd")])


def duplicate_entries(folder: Path) -> Path:
    return _export(folder / "duplicate_entries.zip", _valid() | {"old/users.csv": files_11()["users.csv"]})


def empty_file(folder: Path) -> Path:
    return _export(folder / "empty_file.zip", _valid() | {"users.csv": ""})


def missing_header(folder: Path) -> Path:
    """The header row left out: the first data row is taken for a header, with nameless columns."""
    users = "\n".join(files_11()["users.csv"].splitlines()[1:]) + "\n"
    return _export(folder / "missing_header.zip", _valid() | {"users.csv": users})


def duplicate_header(folder: Path) -> Path:
    users = files_11()["users.csv"].replace("givenName,familyName", "givenName,givenName", 1)
    return _export(folder / "duplicate_header.zip", _valid() | {"users.csv": users})


def garbage_archive(folder: Path) -> Path:
    path = folder / "garbage_archive.zip"
    path.write_bytes(random.Random(2).randbytes(64 * 1024))
    return path


def garbage_entry(folder: Path) -> Path:
    return _export(folder / "garbage_entry.zip", _valid() | {"users.csv": random.Random(3).randbytes(256 * 1024)})


def too_many_entries(folder: Path) -> Path:
    return _export(folder / "too_many_entries.zip", _valid() | {f"notes/{i}.txt": "" for i in range(5000)})


def unusual_compression(folder: Path) -> Path:
    files = _valid()
    users = files.pop("users.csv")
    info = zipfile.ZipInfo("users.csv")
    info.compress_type = zipfile.ZIP_BZIP2
    return _export(folder / "unusual_compression.zip", files, infos=[(info, users.encode())])


def corrupt_entry(folder: Path) -> Path:
    """Deflated data damaged in the middle: the entry fails while it is read, after the .zip opened fine."""
    path = _export(folder / "corrupt_entry.zip", _valid() | {"users.csv": _user_rows(5000)})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("users.csv")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 200, start + 400):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def _wrong_rows(folder: Path, name: str, size: int) -> Path:
    row = "p,active,yesterday,maybe,sch-1,wizard,u,,,,,,not-an-email,,,,,,,,,\n"
    users = USERS_HEADER + "\n" + row * (size // len(row))
    return _export(folder / f"{name}.zip", _valid() | {"users.csv": users}, compression=zipfile.ZIP_STORED)


def many_problems(folder: Path) -> Path:
    """1 MB of rows that are each wrong (about 80,000 problems)."""
    return _wrong_rows(folder, "many_problems", MB)


def million_problems(folder: Path) -> Path:
    """10 MB of rows that are each wrong (about 900,000 problems): they stop being listed at the limit."""
    return _wrong_rows(folder, "million_problems", 10 * MB)


CASES: dict[str, tuple[Callable[[Path], Path], Hostile]] = {
    case.name: (builder, case) for builder, case in [
        (zip_bomb, Hostile("zip_bomb", "users.csv", "possible zip bomb")),
        (oversized_file, Hostile("oversized_file", "users.csv", "at most 1 MB is read",
                                 {"IMPORT_MAX_FILE_MB": 1})),
        (nested_zip, Hostile("nested_zip", "inner.zip", "archive inside the archive")),
        (huge_row, Hostile("huge_row", "users.csv", "longer than 1,048,576 characters")),
        (huge_field, Hostile("huge_field", "users.csv", "field larger than field limit")),
        (many_columns, Hostile("many_columns", "users.csv", "values but the header names 22 columns")),
        (nul_bytes, Hostile("nul_bytes", "users.csv", "NUL character")),
        (nul_header, Hostile("nul_header", "users.csv", "NUL character")),
        (utf16, Hostile("utf16", "users.csv", "UTF-16")),
        (latin1, Hostile("latin1", "users.csv", "not UTF-8 text (byte")),
        (path_traversal, Hostile("path_traversal", "../../../etc/users.csv", "outside the export's folder")),
        (absolute_path, Hostile("absolute_path", "/etc/users.csv", "outside the export's folder")),
        (symlink_entry, Hostile("symlink_entry", "users.csv", "symbolic link")),
        (duplicate_entries, Hostile("duplicate_entries", "users.csv", "Two files in the export")),
        (empty_file, Hostile("empty_file", "users.csv", "The file is empty")),
        (missing_header, Hostile("missing_header", "users.csv", "This column has no name")),
        (duplicate_header, Hostile("duplicate_header", "users.csv", "This column appears twice")),
        (garbage_archive, Hostile("garbage_archive", "garbage_archive.zip", "not a readable .zip")),
        (garbage_entry, Hostile("garbage_entry", "users.csv", "not UTF-8 text")),
        (too_many_entries, Hostile("too_many_entries", "too_many_entries.zip", "entries; an export has at most")),
        (unusual_compression, Hostile("unusual_compression", "users.csv", "compressed in a way")),
        (corrupt_entry, Hostile("corrupt_entry", "users.csv", "cannot be read from the .zip")),
        (many_problems, Hostile("many_problems", "users.csv", "is not")),
        (million_problems, Hostile("million_problems", "users.csv", "is not")),
    ]
}


def generate(folder: Path, name: str) -> tuple[Path, Hostile]:
    builder, case = CASES[name]
    return builder(folder), case


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("hostile-imports")
    out.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        path, _ = generate(out, name)
        print(f"{path}  {os.path.getsize(path):>12,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
