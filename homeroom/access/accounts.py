"""Who signs in how: staff (and the admin's superusers) with a password, families with a one-time code."""

from __future__ import annotations

from typing import Any

from homeroom.access.scoping import scope_for


def is_staff_account(user: Any) -> bool:
    """Staff sign in with a password (+ TOTP where enrolled), never with an emailed or texted code."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or scope_for(user).staff_id is not None)
