"""What messaging's compose, preview and report pages show about languages (they call these; no URLs here)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from homeroom.access import scoping
from homeroom.languages import access, reports
from homeroom.languages.providers import get_translator
from homeroom.messaging.compose.audiences import AudienceError
from homeroom.roster.models import Staff


def compose_lines(request: HttpRequest, form: Any) -> dict[str, Any]:
    """The compose form's audience by home language, for the texts written so far ("Check languages")."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    if "audience_kind" not in data:
        return {"error": "", "lines": None}
    scope = scoping.scope_for(request.user)
    staff = Staff.objects.filter(pk=scope.staff_id or 0).select_related("district").first()
    fallback = staff.district.fallback_language if staff else "en"
    try:
        lines = access.compose_language_lines(
            request.user, form.audience(), languages={c.language for c in form.contents()},
            category=data.get("category") or "news", fallback=fallback,
        )
    except AudienceError as exc:
        return {"error": str(exc), "lines": None}
    return {"error": "", "lines": lines, "translator": get_translator() is not None}


def preview_context(message: Any, user: Any) -> dict[str, Any]:
    """A draft's audience by home language; with machine translation on, missing languages are translated now
    (so the sender sees the text before it goes out), through the cache."""
    if message.status != message.Status.DRAFT:
        return {"language_lines": None}
    try:
        problems = access.ensure_machine_contents(message, user=user)
        lines = access.message_language_lines(message, user=user, problems=problems)
    except AudienceError:
        return {"language_lines": None}
    return {"language_lines": lines, "language_urgent": message.is_emergency,
            "language_ack_needed": [line for line in lines if line.needs_acknowledgement]}


def report_context(message: Any, *, figures: dict[str, Any] | None = None) -> dict[str, Any]:
    return reports.report_context(message, figures=figures)
