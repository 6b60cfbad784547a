"""An import worker in a process of its own, for tests/roster/test_import_worker_killed.py to SIGKILL mid-write.

Usage: python -m tests.roster.import_crash_worker <import run id>. Settings come from the environment, as a
deployed worker's do (DATABASE_URL, HOMEROOM_DATA_DIR). Once the students are written, inside the import's
transaction and before it commits, it prints "WROTE <count>" and waits to be killed.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeroom.settings")
    import django

    django.setup()
    from homeroom.roster.importers.write import people
    from homeroom.roster.tasks import import_run_task

    write_students = people.write_students

    def write_then_wait(*args: Any, **kwargs: Any) -> Any:
        written = write_students(*args, **kwargs)
        print(f"WROTE {len(written.ids)}", flush=True)
        time.sleep(120)  # the test kills the process long before this ends
        return written

    people.write_students = write_then_wait  # type: ignore[assignment]
    print(import_run_task.call(int(argv[0])), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
