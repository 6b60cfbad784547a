"""The dev outbox page's reads: what the dev providers kept, for the viewer's district only.

An entry belongs to a district when it was addressed to one of the district's people (a guardian's email or
phone, a staff member's email). Sign-in messages (codes, reset links) are shown only to the person they were
sent to: anyone else could sign in as them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from homeroom.access import scoping
from homeroom.core.models import OutboxEntry, Role
from homeroom.core.outbox import SIGN_IN
from homeroom.roster.models import Guardian, Staff

CHANNELS = ("email", "sms", "voice")


def may_see_outbox(user: Any) -> bool:
    scope = scoping.scope_for(user)
    return scope.is_superuser or Role.DISTRICT_ADMIN in scope.roles


def _own_addresses(user: Any) -> list[str]:
    phones = Guardian.objects.filter(user_id=user.pk).values_list("mobile_phone", "home_phone", "work_phone")
    return [user.email, *(phone for row in phones for phone in row if phone)]


def _district_addresses(district_ids: frozenset[int]) -> Q:
    guardians = Guardian.objects.filter(district_id__in=district_ids)
    staff = Staff.objects.filter(district_id__in=district_ids)
    return (
        Q(to__in=guardians.exclude(email="").values("email"))
        | Q(to__in=guardians.exclude(mobile_phone="").values("mobile_phone"))
        | Q(to__in=guardians.exclude(home_phone="").values("home_phone"))
        | Q(to__in=guardians.exclude(work_phone="").values("work_phone"))
        | Q(to__in=staff.exclude(email="").values("email"))
        | Q(to__in=guardians.exclude(user=None).values("user__email"))
        | Q(to__in=staff.exclude(user=None).values("user__email"))
    )


def outbox_for(user: Any, channel: str = "") -> QuerySet[OutboxEntry]:
    scope = scoping.scope_for(user)
    if not may_see_outbox(user):
        return OutboxEntry.objects.none()
    entries = OutboxEntry.objects.all()
    if not scope.is_superuser:
        entries = entries.filter(_district_addresses(scope.district_ids))
    # A subquery, not exclude(kind & ~owner): entries without a "kind" compare as NULL and would vanish too.
    others_sign_in = OutboxEntry.objects.filter(meta__kind=SIGN_IN).exclude(to__in=_own_addresses(user))
    entries = entries.exclude(pk__in=others_sign_in.values("pk"))
    if channel in CHANNELS:
        entries = entries.filter(channel=channel)
    return entries
