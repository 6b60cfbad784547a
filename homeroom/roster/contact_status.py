"""How a guardian can be reached, channel by channel, as staff need to see it (consent, opt-outs, bad numbers).

Every answer comes from roster.reachability, so the panel says what planning will do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from homeroom.core import words
from homeroom.roster import reachability
from homeroom.roster.models import (
    DEFAULT_CHANNEL_ORDER,
    Category,
    Channel,
    ConsentChange,
    ConsentState,
    ConsentVia,
    Guardian,
)


@dataclass(frozen=True)
class Mark:
    text: str | Promise
    tone: str = ""  # "ok" or "warn": the badge style
    when: datetime | None = None


@dataclass
class ChannelStatus:
    channel: str
    label: str | Promise
    address: str
    marks: list[Mark] = field(default_factory=list)
    usable: bool = True


def language_name(code: str) -> str:
    """A BCP 47 tag as a name in the reader's language ('es' → 'Spanish'/'Español'), or the tag itself."""
    return words.language_name(code)


def _refused_categories(g: Guardian, channel: str) -> list[str]:
    """Categories the family said no to on this channel (read from the prefetched choices when there are)."""
    labels = dict(Category.choices)
    return [str(labels[c.category]) for c in g.consent_choices.all() if c.channel == channel and not c.given
            and c.category in labels]


def _consent_marks(status: ChannelStatus, g: Guardian, channel: str, opted_out_at: datetime | None,
                   consent_at: datetime | None) -> None:
    if opted_out_at:
        status.marks.append(Mark(_("Opted out"), "warn", opted_out_at))
    elif consent_at:
        status.marks.append(Mark(_("Consent on file"), "ok", consent_at))
    elif channel != Channel.EMAIL:
        status.marks.append(Mark(_("No consent recorded")))
    refused = _refused_categories(g, channel)
    if refused and not opted_out_at:
        status.marks.append(Mark(_("Not for: %(categories)s") % {"categories": ", ".join(refused)}, "warn"))


def _usable(g: Guardian, channel: str, suppressed: set[str]) -> tuple[str, bool]:
    """The address and whether an ordinary message would reach it: the same check planning makes."""
    address, reason = reachability.check(reachability.facts_of(g), channel, reachability.Consent.MISSION, suppressed)
    return address, not reason


def _email(g: Guardian, suppressed: set[str]) -> ChannelStatus:
    address, usable = _usable(g, Channel.EMAIL, suppressed)
    status = ChannelStatus(Channel.EMAIL, Channel.EMAIL.label, g.email, usable=usable)
    if not g.email:
        status.marks.append(Mark(_("No address"), "warn"))
    bad_since = reachability.marked_since(g, "email")
    if bad_since:
        status.marks.append(Mark(_("Address not working"), "warn", bad_since))
    elif address and address in suppressed:
        status.marks.append(Mark(_("Bounced or reported as spam: not emailed"), "warn"))
    _consent_marks(status, g, Channel.EMAIL, g.email_opted_out_at, None)
    return status


def _sms(g: Guardian, suppressed: set[str]) -> ChannelStatus:
    _address, usable = _usable(g, Channel.SMS, suppressed)
    status = ChannelStatus(Channel.SMS, Channel.SMS.label, g.mobile_phone, usable=usable)
    if not g.mobile_phone:
        status.marks.append(Mark(_("No mobile number"), "warn"))
    bad_since = reachability.marked_since(g, "mobile_phone")
    if bad_since:
        status.marks.append(Mark(_("Number not working"), "warn", bad_since))
    _consent_marks(status, g, Channel.SMS, g.sms_opted_out_at, g.sms_consent_at)
    return status


def _voice(g: Guardian, suppressed: set[str]) -> ChannelStatus:
    # The number a call goes to, chosen as planning chooses it (home phone first when it works).
    address, bad = reachability.call_number(reachability.facts_of(g))
    _address, usable = _usable(g, Channel.VOICE, suppressed)
    status = ChannelStatus(Channel.VOICE, Channel.VOICE.label, "" if bad else address, usable=usable)
    if not (g.mobile_phone or g.home_phone):
        status.marks.append(Mark(_("No phone number"), "warn"))
    elif bad:
        status.marks.append(Mark(_("Number not working"), "warn"))
    _consent_marks(status, g, Channel.VOICE, g.voice_opted_out_at, g.voice_consent_at)
    return status


def _portal(g: Guardian, suppressed: set[str]) -> ChannelStatus:
    status = ChannelStatus(Channel.PORTAL, Channel.PORTAL.label, "")
    if g.user_id:
        status.marks.append(Mark(_("Has an account"), "ok"))
    else:
        status.marks.append(Mark(_("No account yet"), "warn"))
    status.usable = bool(g.user_id)
    return status


_BUILDERS = {Channel.EMAIL.value: _email, Channel.SMS.value: _sms, Channel.VOICE.value: _voice,
             Channel.PORTAL.value: _portal}


def channel_statuses(guardian: Guardian, *, suppressed: set[str] | None = None) -> list[ChannelStatus]:
    """The guardian's channels in their order of preference; unknown entries are ignored.

    `suppressed` is the suppression list as far as it concerns the page's guardians (read once per page);
    without it, this guardian's address is looked up.
    """
    if suppressed is None:
        suppressed = reachability.suppressed_addresses([guardian.email])
    order = guardian.channel_order if isinstance(guardian.channel_order, list) else []
    seen: list[str] = []
    for code in order or DEFAULT_CHANNEL_ORDER:
        if code in _BUILDERS and code not in seen:
            seen.append(code)
    return [_BUILDERS[code](guardian, suppressed) for code in seen]


def preferred_channel(channels: list[ChannelStatus]) -> ChannelStatus | None:
    """The first channel that would actually reach the guardian."""
    return next((c for c in channels if c.usable), None)


# --- The consent ledger, as the family and staff read it --------------------------------------------------


@dataclass(frozen=True)
class ConsentEntry:
    at: datetime
    what: str  # "Text messages · News: No"
    before: str  # the state before, in words
    how: str  # "Family portal", "Text message (STOP)"…
    who: str  # who made the change, when a person did ("" for an import or a text)


CHANNEL_NAMES = {Channel.SMS.value: _("Text messages"), Channel.VOICE.value: _("Automated phone calls"),
                 Channel.EMAIL.value: _("Email")}


def _state_words(change: ConsentChange, state: str) -> str:
    if change.category:
        return str(ConsentState(state).label)
    if state == ConsentState.REFUSED:
        return gettext("Stopped")
    if state == ConsentState.GIVEN:
        return gettext("Consent on file")
    return gettext("Not stopped") if change.via != ConsentVia.SIS_IMPORT else gettext("No consent on file")


def _person(user: Any) -> str:
    """A user by the name the roster knows them by (staff or guardian record), else their account."""
    if user is None:
        return ""
    for role in ("staff", "guardian"):
        record = getattr(user, role, None) if hasattr(user, role) else None
        if record is not None:
            return str(record)
    return str(user)


def consent_entries(guardian: Guardian, *, reader_user_id: int | None = None) -> list[ConsentEntry]:
    """The guardian's consent history, newest first, in the active language.

    `reader_user_id` is the signed-in user: a change they made themselves reads "You".
    """
    categories = dict(Category.choices)
    entries = []
    for change in reachability.consent_history(guardian):
        scope = str(categories[change.category]) if change.category in categories else gettext("All messages")
        what = gettext("%(channel)s · %(category)s: %(state)s") % {
            "channel": CHANNEL_NAMES.get(change.channel, change.channel), "category": scope,
            "state": _state_words(change, change.state),
        }
        who = _person(change.by)
        if change.by_id and change.by_id == reader_user_id:
            who = gettext("You")
        entries.append(ConsentEntry(at=change.at, what=what, before=_state_words(change, change.previous),
                                    how=str(ConsentVia(change.via).label), who=who))
    return entries
