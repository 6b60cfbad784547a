"""A sending worker in a process of its own, for tests/messaging/test_worker_killed.py to SIGKILL mid-batch.

Usage: python -m tests.messaging.crash_worker <message id> <batch>. Settings come from the environment, as a
deployed worker's do (DATABASE_URL, TWILIO_*, EMAIL_*); prints the batch result as JSON if it lives to the end.
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeroom.settings")
    import django

    django.setup()
    from homeroom.messaging.engine.dispatch import deliver_batch

    result = deliver_batch(int(argv[0]), int(argv[1]))
    print(json.dumps({"sent": result.sent, "failed": result.failed, "retry": result.retry,
                      "deferred": result.deferred}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
