"""Runs a benchmark once per database: a fresh SQLite file, and PostgreSQL too when DATABASE_URL is set.

Each run is a child process (`SCRIPT ARGS --backend NAME`) so that Django is configured for that database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Debug stays off (it would slow every query), so the settings need a key, and messages go to the dev outbox.
# The outbox does not report deliveries here (a provider's callback comes later, over HTTP, not in the send loop).
BENCH_ENV = {"HOMEROOM_SECRET_KEY": os.environ.get("HOMEROOM_SECRET_KEY") or "bench-only-secret-key",
             "HOMEROOM_DEV_OUTBOX": "1", "HOMEROOM_DEV_OUTBOX_REPORTS_DELIVERY": "0", "HOMEROOM_LOG_LEVEL": "WARNING"}


def run_per_backend(script: str, args: list[str]) -> int:
    """The worst exit code of the runs (0 when every budget passed)."""
    worst = 0
    with tempfile.TemporaryDirectory() as data_dir:
        sqlite_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
            "HOMEROOM_DATA_DIR": data_dir,
            "HOMEROOM_TEST_SQLITE": str(Path(data_dir) / "bench.sqlite3"),
            **BENCH_ENV,
        }
        backends = [("sqlite", sqlite_env)]
        if os.environ.get("DATABASE_URL"):
            backends.append(("postgresql", dict(os.environ) | BENCH_ENV))
        for name, env in backends:
            print(f"== {name}", flush=True)
            code = subprocess.call([sys.executable, script, *args, "--backend", name], env=env, cwd=ROOT)
            worst = max(worst, code)
    return worst
