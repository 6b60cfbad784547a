"""Words for the codes the rules use, in the reader's language (a district's own reason codes show as written)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REASONS = {
    "illness": _("Illness"),
    "religious": _("Religious holiday"),
    "death_or_emergency": _("Death in the family or an emergency"),
    "court": _("Court appearance"),
    "no_transportation": _("No transportation from another district"),
    "educational_opportunity": _("Approved educational opportunity"),
    "wellness": _("Mental health wellness day"),
    "suspension": _("Suspension"),
    "suspension_alternative_education": _("Suspension with alternative education"),
    "remote": _("Remote learning"),
    "family": _("Family reasons"),
    "vacation": _("Vacation"),
    "other": _("Other"),
}

CATEGORIES = {
    "present": _("Present"),
    "excused": _("Excused"),
    "unexcused": _("Unexcused"),
    "disciplinary": _("Disciplinary"),
    "": _("Not a school day"),
}

RULES = {
    "documented": _("Excused: the note arrived in time."),
    "listed_reason": _("Excused for this reason."),
    "wellness_day": _("A mental health wellness day: no note needed."),
    "awaiting_documentation": _("A note from the family is still needed."),
    "awaiting_medical": _("From the 10th absence, illness needs a note from a doctor or nurse."),
    "documentation_late": _("The note arrived more than 10 school days after the return."),
    "no_documentation": _("No note arrived within 10 school days of the return."),
    "reason_not_listed": _("From the 10th absence, only the reasons the state lists are excused."),
    "disciplinary": _("A suspension counts as an absence."),
    "present": _("Present"),
    "present_part_day": _("In school at least half the day."),
    "present_remote": _("Learning remotely, which the district counts."),
    "present_alternative": _("Alternative education for at least half the day."),
    "not_a_school_day": _("Not a school day"),
}


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))
