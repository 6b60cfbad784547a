"""Signed links: one per invited family, usable without an account; the signature is the only secret."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "homeroom.surveys.invitation"


def invitation_token(invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=SALT, compress=False)


def invitation_id_from(token: str) -> int | None:
    """The invitation a token was made for, or None when it was not signed by us."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def invitation_url(invitation_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("surveys:answer", kwargs={"token": invitation_token(invitation_id)})


def public_url(public_token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("surveys:public", kwargs={"token": public_token})
