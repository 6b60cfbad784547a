"""Lock-outs after wrong passwords, counted in the shared cache (see settings.CACHES).

Two counters (settings: ACCOUNT_RATE_LIMITS["login_failed"] and HOMEROOM_RATE_LIMITS["login_failed_account"]):

- per account *and* IP address (allauth's own "login_failed", keyed by the adapter): five wrong passwords lock
  that account from that address for five minutes. A stranger's guesses do not lock the owner out elsewhere.
- per account from anywhere: many wrong passwords from many addresses lock the account. The owner still gets in
  with the right password followed by the authenticator code, or unlocks it by email (a password reset).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.signals import password_reset
from allauth.core.internal import ratelimit
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest

APP = "homeroom"
ACCOUNT_ACTION = "login_failed_account"


def account_key(login: str) -> str:
    return login.strip().lower()


def consume_account_attempt(request: HttpRequest, login: str) -> ratelimit.RateLimitUsage | None:
    """One password attempt against the account; None when the account is locked (nothing is counted then)."""
    return ratelimit.consume(request, app=APP, action=ACCOUNT_ACTION, config=settings.HOMEROOM_RATE_LIMITS,
                             key=account_key(login))


def clear_account(request: HttpRequest, login: str) -> None:
    ratelimit.clear(request, app=APP, action=ACCOUNT_ACTION, config=settings.HOMEROOM_RATE_LIMITS,
                    key=account_key(login))


@receiver(password_reset, dispatch_uid="homeroom.core.lockout.unlock_on_password_reset")
def unlock_on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """The emailed reset link proves the owner: the account is unlocked, from this address too."""
    clear_account(request, user.email)
    get_adapter(request)._delete_login_attempts_cached_email(request, email=user.email)
