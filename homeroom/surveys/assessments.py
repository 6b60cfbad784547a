"""Self-assessment writes and summaries: members rate, the team sees agreement, agrees, and plans.

Low consensus ratings (at or below the instrument's `low_rating`) become action items on the school's plan for
that year; the next year's assessment shows last year's consensus beside this year's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.surveys.definition import Item, pick
from homeroom.surveys.models import (
    ActionItem,
    ActionPlan,
    Assessment,
    Consensus,
    Kind,
    MemberRating,
    ReflectionAnswer,
    Team,
)

AGREEMENT_SPREAD = 1  # ratings no further apart than this count as agreement


class AssessmentError(ValueError):
    """The self-assessment cannot do this yet; the text says why."""


def assessment_start(*, team: Team, instrument: Any, year: int) -> Assessment:
    if instrument.kind != Kind.SELF_ASSESSMENT:
        raise AssessmentError(_("Choose a self-assessment instrument."))
    assessment, _created = Assessment.objects.get_or_create(team=team, instrument=instrument, year=year,
                                                            defaults={"school_id": team.school_id})
    return assessment


def _values(assessment: Assessment, data: Any) -> dict[str, int]:
    values: dict[str, int] = {}
    for item in assessment.instrument.definition.items:
        if item.type != "rating":
            continue
        raw = data.get(item.key)
        if raw in (None, ""):
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            continue
        if 1 <= value <= item.points:
            values[item.key] = value
    return values


@transaction.atomic
def ratings_save(*, assessment: Assessment, user: Any, data: Any) -> int:
    """One member's own ratings (replacing theirs); returns how many items they rated."""
    if user.pk not in assessment.team.member_user_ids():
        raise AssessmentError(_("Only team members rate the items."))
    if assessment.finished_at:
        raise AssessmentError(_("This self-assessment is finished."))
    values = _values(assessment, data)
    MemberRating.objects.filter(assessment=assessment, user=user).delete()
    MemberRating.objects.bulk_create(MemberRating(assessment=assessment, user=user, item_key=key, value=value)
                                     for key, value in values.items())
    return len(values)


@dataclass(frozen=True)
class AgreementRow:
    item: Item
    text: str
    counts: tuple[int, ...]  # members per scale point, lowest first
    raters: int
    agreed: bool
    consensus: int | None
    note: str


def agreement(assessment: Assessment, language: str) -> list[AgreementRow]:
    """Per rating item: how many members chose each point, whether they agree, and the consensus so far."""
    ratings: dict[str, list[int]] = {}
    for key, value in assessment.ratings.values_list("item_key", "value"):
        ratings.setdefault(key, []).append(value)
    consensus = {c.item_key: c for c in assessment.consensus.all()}
    rows = []
    for item in assessment.instrument.definition.items:
        if item.type != "rating":
            continue
        values = ratings.get(item.key, [])
        counts = Counter(values)
        agreed = bool(values) and max(values) - min(values) <= AGREEMENT_SPREAD
        agreed_row = consensus.get(item.key)
        rows.append(AgreementRow(item=item, text=pick(item.text, language),
                                 counts=tuple(counts.get(n, 0) for n in range(1, item.points + 1)),
                                 raters=len(values), agreed=agreed,
                                 consensus=agreed_row.value if agreed_row else None,
                                 note=agreed_row.note if agreed_row else ""))
    return rows


@transaction.atomic
def consensus_save(*, assessment: Assessment, data: Any) -> None:
    """The team's agreed rating per item (field `c-<key>`, note `n-<key>`) and reflection answers (`r-<key>`)."""
    if assessment.finished_at:
        raise AssessmentError(_("This self-assessment is finished."))
    definition = assessment.instrument.definition
    values = _values(assessment, {key[2:]: value for key, value in data.items() if key.startswith("c-")})
    for key, value in values.items():
        Consensus.objects.update_or_create(assessment=assessment, item_key=key,
                                           defaults={"value": value, "note": str(data.get(f"n-{key}", "")).strip()})
    for question in definition.reflection:
        text = str(data.get(f"r-{question.key}", "")).strip()
        if text:
            ReflectionAnswer.objects.update_or_create(assessment=assessment, key=question.key,
                                                      defaults={"text": text})


@transaction.atomic
def assessment_finish(*, assessment: Assessment) -> ActionPlan:
    """Every rating item needs a consensus; low ones become items on the school's plan for the year."""
    definition = assessment.instrument.definition
    agreed = dict(assessment.consensus.values_list("item_key", "value"))
    missing = [item.key for item in definition.items if item.type == "rating" and item.key not in agreed]
    if missing:
        raise AssessmentError(_("Agree a rating for every item first (%(count)d left).") % {"count": len(missing)})
    plan, _created = ActionPlan.objects.get_or_create(school_id=assessment.school_id, year=assessment.year)
    for item in definition.items:
        value = agreed.get(item.key)
        if value is not None and value <= definition.low_rating:
            ActionItem.objects.get_or_create(plan=plan, assessment=assessment, item_key=item.key,
                                             defaults={"rating": value})
    if assessment.finished_at is None:
        Assessment.objects.filter(pk=assessment.pk).update(finished_at=timezone.now())
    return plan


@dataclass(frozen=True)
class Comparison:
    text: str
    last: int | None
    this: int | None

    @property
    def change(self) -> int | None:
        return None if self.last is None or self.this is None else self.this - self.last


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The school's last assessment with the same instrument key in an earlier year (any version, any team)."""
    return (Assessment.objects.filter(school_id=assessment.school_id, instrument__key=assessment.instrument.key,
                                      year__lt=assessment.year).order_by("-year").first())


def side_by_side(assessment: Assessment, language: str) -> tuple[Assessment | None, list[Comparison]]:
    before = previous_assessment(assessment)
    last = dict(before.consensus.values_list("item_key", "value")) if before else {}
    this = dict(assessment.consensus.values_list("item_key", "value"))
    rows = [Comparison(text=pick(item.text, language), last=last.get(item.key), this=this.get(item.key))
            for item in assessment.instrument.definition.items if item.type == "rating"]
    return before, rows


def plan_items_for_review(plan: ActionPlan) -> list[ActionItem]:
    """Last year's plan items for the same school, to review beside this year's ratings."""
    return list(ActionItem.objects.filter(plan__school_id=plan.school_id, plan__year=plan.year - 1)
                .select_related("assessment__instrument"))
