"""Production settings: no start without a secret key or without real email/SMS providers, and
`check --deploy` has nothing to say about a production configuration (CI runs it too: .ci/run)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.security.sign_in_helpers import HOMEROOM, ROOT, production_env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def env(tmp_path):
    def make(**overrides: str) -> dict[str, str]:
        return production_env(HOMEROOM_DATA_DIR=str(tmp_path), **overrides)

    return make


def test_without_a_secret_key_a_production_process_refuses_to_start(env):
    out = _run([*HOMEROOM, "check"], env(HOMEROOM_SECRET_KEY=""))
    assert out.returncode != 0
    assert "HOMEROOM_SECRET_KEY is not set" in out.stderr


def test_without_a_secret_key_the_development_server_still_starts(env):
    out = _run([*HOMEROOM, "check"], env(HOMEROOM_SECRET_KEY="", HOMEROOM_DEBUG="1"))
    assert out.returncode == 0, out.stderr


def test_check_deploy_has_nothing_to_say_about_production_settings(env):
    out = _run([*HOMEROOM, "check", "--deploy", "--fail-level", "WARNING"], env())
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


@pytest.mark.parametrize(
    ("missing", "error"),
    [
        ({"HOMEROOM_EMAIL_BACKEND": ""}, "homeroom.E001"),
        ({"TWILIO_AUTH_TOKEN": ""}, "homeroom.E003"),
        ({"HOMEROOM_PHONE_PROVIDER": "dev_outbox"}, "homeroom.E003"),
    ],
    ids=["no-email", "no-twilio", "phone-forced-to-outbox"],
)
def test_a_missing_provider_stops_every_command(env, missing, error):
    out = _run([*HOMEROOM, "check"], env(**missing))
    assert out.returncode != 0
    assert error in out.stderr


def test_the_web_process_refuses_to_start_without_a_provider(env):
    out = _run([sys.executable, "-c", "import homeroom.wsgi"], env(TWILIO_ACCOUNT_SID=""))
    assert out.returncode != 0
    assert "No phone provider" in out.stderr


def test_the_web_process_starts_with_production_settings(env):
    out = _run([sys.executable, "-c", "import homeroom.wsgi"], env())
    assert out.returncode == 0, out.stderr


def test_a_dev_outbox_chosen_on_purpose_still_fails_check_deploy(env):
    out = _run([*HOMEROOM, "check", "--deploy"], env(HOMEROOM_EMAIL_BACKEND="", HOMEROOM_DEV_OUTBOX="1"))
    assert out.returncode != 0
    assert "homeroom.E011" in out.stderr


def test_the_demo_runs_on_the_dev_outbox(env):
    out = _run([*HOMEROOM, "check"], env(HOMEROOM_DEBUG="1", HOMEROOM_EMAIL_BACKEND="", TWILIO_ACCOUNT_SID=""))
    assert out.returncode == 0, out.stderr
