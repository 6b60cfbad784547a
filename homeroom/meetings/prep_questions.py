"""The questions of "Preparing for the PPT": one wording for the portal form, the staff's paper entry and the letter."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from homeroom.meetings.models import Participation

# The written answers, in the order the form and the printed page ask them.
WRITTEN = (
    ("strengths", _("My child's strengths")),
    ("concerns", _("My concerns")),
    ("questions", _("My questions for the team")),
    ("team_should_know", _("What I want the team to know")),
)
PARTICIPATION_LABEL = _("How I will take part")
BRINGING_LABEL = _("Who I will bring (optional)")


def printable() -> dict[str, object]:
    """What the letter's printable page needs, translated in the active language."""
    return {
        "written": [str(label) for _name, label in WRITTEN],
        "participation_label": str(PARTICIPATION_LABEL),
        "participation": [str(label) for _value, label in Participation.choices],
        "bringing_label": str(BRINGING_LABEL),
    }
