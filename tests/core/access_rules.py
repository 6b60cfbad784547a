"""URL × role rules for core pages, sign-in (allauth), two-factor (allauth.mfa) and the Django admin."""

from __future__ import annotations

from tests.access import Rule, expect_all

SIGNED_IN = {"admin": 200, "principal": 200, "teacher": 200, "other_teacher": 200, "case_manager": 200,
             "ana": 200, "luis": 200, "paul": 200}

RULES: dict[str, Rule] = {
    # --- core ---
    "home": Rule(expect=expect_all(302, anonymous=200)),
    "healthz": Rule(expect=expect_all(200)),
    "manifest": Rule(expect=expect_all(200)),
    "set_language": Rule(method="post", data=lambda w: {"language": "es", "next": "/"}, expect=expect_all(302)),
    "styleguide": Rule(expect=expect_all(404)),  # DEBUG only: tests/core/test_design_system.py opens it
    "access_log": Rule(expect=expect_all(403, anonymous=302, admin=200, principal=200)),
    "account_email_disabled": Rule(expect=expect_all(404)),
    # --- sign-in: the pages for signed-out people send signed-in people on their way ---
    "account_login": Rule(expect=expect_all(302, anonymous=200)),
    "account_request_login_code": Rule(expect=expect_all(302, anonymous=200)),
    "account_confirm_login_code": Rule(expect=expect_all(302)),  # only after a code was requested
    "account_signup": Rule(expect=expect_all(302, anonymous=200)),  # says sign-up is closed
    "account_logout": Rule(expect={"anonymous": 302, **SIGNED_IN}),
    "account_inactive": Rule(expect=expect_all(200)),
    "account_email": Rule(expect=expect_all(404)),  # shadowed by account_email_disabled
    "account_email_verification_sent": Rule(expect=expect_all(200)),
    "account_confirm_email": Rule(kwargs=lambda w: {"key": "not-a-key"}, expect=expect_all(200)),  # "invalid link"
    "account_reauthenticate": Rule(expect={"anonymous": 302, **SIGNED_IN}),
    "account_change_password": Rule(expect={"anonymous": 302, **SIGNED_IN}),
    "account_set_password": Rule(expect=expect_all(302)),  # everyone here already has a password
    "account_reset_password": Rule(expect=expect_all(200)),
    "account_reset_password_done": Rule(expect=expect_all(200)),
    "account_reset_password_from_key": Rule(kwargs=lambda w: {"uidb36": "1", "key": "bad-key"}, expect=expect_all(200)),
    "account_reset_password_from_key_done": Rule(expect=expect_all(200)),
    # --- two-factor: only for the signed-in; pages about an authenticator 404 until one exists ---
    "mfa_index": Rule(expect={"anonymous": 302, **SIGNED_IN}),
    "mfa_authenticate": Rule(expect=expect_all(302)),  # only during a sign-in that needs it
    "mfa_reauthenticate": Rule(expect=expect_all(302)),
    "mfa_activate_totp": Rule(expect=expect_all(302)),  # asks to confirm the password first
    "mfa_deactivate_totp": Rule(expect=expect_all(404, anonymous=302)),
    "mfa_view_recovery_codes": Rule(expect=expect_all(404, anonymous=302)),
    "mfa_download_recovery_codes": Rule(expect=expect_all(404, anonymous=302)),
    "mfa_generate_recovery_codes": Rule(expect=expect_all(302)),
    # --- Django admin: superusers only (none in the roster), so every page sends people to its login, which
    # sends the signed-out to allauth's sign-in and refuses everyone else ---
    "admin:*": Rule(expect=expect_all(302)),
    "admin:login": Rule(expect=expect_all(403, anonymous=302)),
    "admin:app_list": Rule(kwargs=lambda w: {"app_label": "auth"}, expect=expect_all(302)),
}
