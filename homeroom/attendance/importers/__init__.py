"""Daily attendance CSV import: parse → validate → write, all or nothing (the roster importer's pipeline)."""
