"""OneRoster 1.1/1.2 CSV import: parse → validate → write, all or nothing."""

from homeroom.roster.importers.problems import ImportReport, Problem
from homeroom.roster.importers.run import import_oneroster

__all__ = ["ImportReport", "Problem", "import_oneroster"]
