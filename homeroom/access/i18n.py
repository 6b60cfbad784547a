"""Which of our interface languages a person reads, from their account and roster record."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from homeroom.roster.models import Guardian


def supported_language(code: str) -> str | None:
    """'es-MX' → 'es' when only Spanish is offered; None when we have nothing close."""
    if not code:
        return None
    codes = {c for c, _ in settings.LANGUAGES}
    code = code.lower()
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else None


def language_for_user(user: Any) -> str | None:
    """The user's own choice first, then the language the roster has for them as a guardian."""
    if user is None:
        return None
    chosen = supported_language(getattr(user, "language", "") or "")
    if chosen:
        return chosen
    if not hasattr(user, "_homeroom_roster_language"):  # once per request, not once per call
        rows = Guardian.objects.filter(user_id=user.pk, is_active=True).values_list("language", flat=True)
        user._homeroom_roster_language = supported_language(rows.first() or "")
    roster_language: str | None = user._homeroom_roster_language
    return roster_language
