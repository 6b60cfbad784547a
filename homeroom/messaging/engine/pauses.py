"""A provider set up wrong (a wrong Twilio token, a closed account, an ESP that refuses our key) is the district's
fault, not a family's: its deliveries wait, queued, no attempt used up and nothing marked against anyone; the
district administrators are told (a banner on staff pages and an email); a probe of the provider resumes the
send by itself once it works again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeroom.core.models import Role
from homeroom.messaging.channels.registry import transport_for
from homeroom.messaging.models import ProviderPause

logger = logging.getLogger(__name__)
PAUSABLE_CHANNELS = ("email", "sms", "voice")
NOTIFY_AGAIN_AFTER = dt.timedelta(hours=24)  # a pause that keeps coming back emails the admins once a day
PROVIDER_LABELS = {
    "twilio": gettext_lazy("Twilio (text messages and calls)"),
    "email": gettext_lazy("Email"),
    "dev_outbox": gettext_lazy("Development outbox"),
}


def provider_label(provider: str) -> str:
    return str(PROVIDER_LABELS.get(provider, provider))


def paused_providers() -> set[str]:
    return set(ProviderPause.objects.exclude(paused_at=None).values_list("provider", flat=True))


def open_pauses() -> list[ProviderPause]:
    return list(ProviderPause.objects.exclude(paused_at=None).order_by("paused_at"))


def channels_of(provider: str) -> list[str]:
    return [channel for channel in PAUSABLE_CHANNELS if transport_for(channel).provider_key() == provider]


def provider_pause(*, provider: str, error: str, now: dt.datetime | None = None) -> bool:
    """Pause a provider after a configuration error; True when this call started the pause.

    Several workers may meet the same error at once: one conditional UPDATE decides which of them started it,
    and only that one emails the administrators (and, through its caller, has the provider probed later).
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            ProviderPause.objects.get_or_create(provider=provider)
    except IntegrityError:  # another worker created it first
        pass
    started = ProviderPause.objects.filter(provider=provider, paused_at=None).update(
        paused_at=now, probed_at=now, error=error[:255]
    ) == 1
    if not started:
        ProviderPause.objects.filter(provider=provider).update(error=error[:255])
        return False
    logger.warning("provider %s paused: %s", provider, error[:255])
    quiet_since = now - NOTIFY_AGAIN_AFTER
    if ProviderPause.objects.filter(provider=provider).filter(
        Q(notified_at=None) | Q(notified_at__lt=quiet_since)
    ).update(notified_at=now):
        transaction.on_commit(lambda: _notify_admins(provider, error))
    return True


def _admin_recipients() -> list[tuple[str, str]]:
    """(email, language) of every active district administrator."""
    from homeroom.roster.models import StaffRole

    rows = (
        StaffRole.objects.filter(role=Role.DISTRICT_ADMIN, is_active=True, staff__is_active=True)
        .exclude(staff__user=None)
        .values_list("staff__user__email", "staff__user__language")
        .distinct()
    )
    return [(email, language or settings.LANGUAGE_CODE) for email, language in rows if email]


def _notify_admins(provider: str, error: str) -> None:
    """One email per administrator, in their language, through the site's own email (not the paused provider's
    connection, though an ESP that is itself broken may fail to carry it: the banner still shows)."""
    link = settings.SITE_URL.rstrip("/") + reverse("messaging:list")
    for address, language in _admin_recipients():
        with translation.override(language.split("-")[0]):
            subject = _("Messages are paused: %(provider)s is not set up correctly") % {
                "provider": provider_label(provider)
            }
            body = _(
                "Homeroom could not send through %(provider)s because the provider refused our account or "
                "credentials:\n\n%(error)s\n\nThis is a setting of the district, not a problem with any family's "
                "contact details: nothing was recorded against any family, and no message was lost. Messages "
                "wait and will go out by themselves once the provider accepts our account again (Homeroom "
                "checks every few minutes). Please check the provider's account and the settings of Homeroom.\n\n"
                "%(link)s"
            ) % {"provider": provider_label(provider), "error": error, "link": link}
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:
            logger.exception("could not email a district administrator about the paused provider %s", provider)
