"""What an import reports back: problems found and what changed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth knowing) about one cell, row or file of an export."""

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


ENTITIES = [
    "district",
    "schools",
    "sessions",
    "households",
    "users",
    "staff",
    "staff_roles",
    "students",
    "guardians",
    "student_guardians",
    "sections",
    "enrollments",
    "caseloads",
    "grade_categories",
    "line_items",
    "results",
]


def empty_counts() -> dict[str, int]:
    return {"created": 0, "updated": 0, "deactivated": 0, "unchanged": 0}


@dataclass
class ImportReport:
    source_name: str = ""
    version: str = ""
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    summary: dict[str, dict[str, int]] = field(default_factory=dict)
    import_run_id: int | None = None
    dry_run: bool = False
    stale: int = 0  # delta rows older than the stored data, left alone
    more_errors: int = 0  # found after the listed ones, counted but not kept
    more_warnings: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def unchanged(self) -> bool:
        return self.ok and all(
            counts["created"] == counts["updated"] == counts["deactivated"] == 0 for counts in self.summary.values()
        )

    def counts(self, entity: str) -> dict[str, int]:
        return self.summary.setdefault(entity, empty_counts())

    def summary_rows(self) -> list[tuple[str, dict[str, int]]]:
        """The summary in a stable order, entities that saw no rows left out."""
        return [(name, self.summary[name]) for name in ENTITIES
                if name in self.summary and any(self.summary[name].values())]


DEFAULT_LIMIT = 1000


class Problems:
    """Collects errors and warnings while parsing and validating, keeping at most `limit` of each.

    Past the limit a problem is only counted: a hostile file can hold millions of them, and a list (or a page)
    that long helps nobody.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.more_errors = 0
        self.more_warnings = 0

    @property
    def full(self) -> bool:
        """True once errors are only counted: the export will be refused, so its records need not be kept."""
        return self.more_errors > 0

    def error(self, file: str, row: int | None, column: str, message: str) -> None:
        if len(self.errors) < self.limit:
            self.errors.append(Problem(file, row, column, str(message)))
        else:
            self.more_errors += 1

    def warn(self, file: str, row: int | None, column: str, message: str) -> None:
        if len(self.warnings) < self.limit:
            self.warnings.append(Problem(file, row, column, str(message)))
        else:
            self.more_warnings += 1
