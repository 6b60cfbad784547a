"""The settings the test suite runs with: production's module, plus what a test process needs to start.

Debug is off in tests (as in production), so the settings refuse to start without a secret key, and the dev
outbox must be asked for by name; it never reports deliveries on its own. These go into the environment, so
the processes tests start inherit them.
"""

import os

os.environ.setdefault("HOMEROOM_SECRET_KEY", "tests-only-secret-key-never-used-in-production")
os.environ.setdefault("HOMEROOM_DEV_OUTBOX", "1")
# The dev outbox only hands over: tests confirm deliveries as providers would (their callbacks), whatever
# HOMEROOM_DEBUG the shell has (`make test` exports HOMEROOM_DEBUG=1, which would turn the reports on).
os.environ["HOMEROOM_DEV_OUTBOX_REPORTS_DELIVERY"] = "0"

from homeroom.settings import *  # noqa: F403

# Tests see a batch's rate-limited rest deferred at once, as before pacing (tests that pace set their own).
MESSAGING_PACE_SECONDS = 0
