"""Staff professional learning and the practices library: discussions with their feedback cards, trainings
completed per staff member, practices shared at council meetings and the "who shares next" rota."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.programs.models import (
    TRAINING_KINDS,
    Attendance,
    Discussion,
    HomeVisitTraining,
    Practice,
    PracticeFile,
    SharingTurn,
)
from homeroom.roster.models import Staff
from homeroom.surveys.models import Instrument, Kind, Survey
from homeroom.surveys.services import survey_create

STAFF_CARD_KEY = "staff-feedback-card"


class LearningError(ValueError):
    """The change cannot be made; the text says why."""


@transaction.atomic
def discussion_create(*, school: Any, topic: str, title: str, held_on: dt.date, facilitators: list[Staff],
                      attendees: list[Staff], notes: str, user: Any) -> Discussion:
    if not facilitators:
        raise LearningError(_("Name at least one facilitator."))
    discussion = Discussion.objects.create(district_id=school.district_id, school=school, topic=topic,
                                           title=title.strip(), held_on=held_on, notes=notes.strip(),
                                           created_by=user)
    discussion.facilitators.set(facilitators)
    discussion.attendees.set(attendees)
    return discussion


@transaction.atomic
def discussion_update(*, discussion: Discussion, topic: str, title: str, held_on: dt.date,
                      facilitators: list[Staff], attendees: list[Staff], notes: str) -> Discussion:
    if not facilitators:
        raise LearningError(_("Name at least one facilitator."))
    discussion.topic, discussion.title, discussion.held_on, discussion.notes = topic, title.strip(), held_on, \
        notes.strip()
    discussion.save(update_fields=["topic", "title", "held_on", "notes"])
    discussion.facilitators.set(facilitators)
    discussion.attendees.set(attendees)
    return discussion


def may_edit_discussion(user: Any, discussion: Discussion) -> bool:
    """The staff member who recorded it, or the school's principal."""
    scope = scoping.scope_for(user)
    return discussion.created_by_id == scope.user_id or discussion.school_id in scope.principal_school_ids


def feedback_card_open(*, discussion: Discussion, user: Any) -> Survey:
    """The discussion's short feedback card: surveys' staff card, answered by the school's staff once each."""
    if discussion.feedback_survey_id:
        return discussion.feedback_survey  # type: ignore[return-value]
    newest = Instrument.objects.filter(key=STAFF_CARD_KEY, kind=Kind.STAFF).order_by("-version")
    instrument = newest.filter(district_id=discussion.district_id).first() or newest.filter(district=None).first()
    if instrument is None:
        raise LearningError(_("The staff feedback card is missing."))
    survey = survey_create(user=user, instrument=instrument, school=discussion.school, anonymous=True,
                           title=_("Feedback: %(topic)s") % {"topic": discussion})
    discussion.feedback_survey = survey
    discussion.save(update_fields=["feedback_survey"])
    return survey


@dataclass(frozen=True)
class TrainingCount:
    staff: Staff
    discussions: int
    trainings: int
    home_visit_training: bool

    @property
    def total(self) -> int:
        return self.discussions + self.trainings + int(self.home_visit_training)


def trainings_per_staff(staff: QuerySet[Staff]) -> list[TrainingCount]:
    """Per staff member: discussions attended or led, joint trainings attended, home-visit training."""
    ids = list(staff.values_list("pk", flat=True))
    discussions: Counter[int] = Counter()
    for pk in Discussion.attendees.through.objects.filter(staff_id__in=ids).values_list("staff_id", flat=True):
        discussions[pk] += 1
    for pk in Discussion.facilitators.through.objects.filter(staff_id__in=ids).values_list("staff_id", flat=True):
        discussions[pk] += 1
    trainings = Counter(Attendance.objects.filter(staff_id__in=ids, event__kind__in=TRAINING_KINDS)
                        .values_list("staff_id", flat=True))
    trained = set(HomeVisitTraining.objects.filter(staff_id__in=ids).values_list("staff_id", flat=True))
    return [TrainingCount(staff=s, discussions=discussions[s.pk], trainings=trainings[s.pk],
                          home_visit_training=s.pk in trained) for s in staff.order_by("family_name", "given_name")]


# --- practices ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PracticeInput:
    title: str
    practice: str
    goal: str
    grade_band: str
    languages: tuple[str, ...]
    families_reached: int
    outcome: str


@transaction.atomic
def practice_create(*, author: Staff, school_id: int | None, data: PracticeInput, files: list[Any],
                    replicates: Practice | None = None) -> Practice:
    if replicates is not None and replicates.district_id != author.district_id:
        raise LearningError(_("That practice belongs to another district."))
    practice = Practice.objects.create(
        district_id=author.district_id, school_id=school_id, author=author, title=data.title.strip(),
        practice=data.practice.strip(), goal=data.goal, grade_band=data.grade_band, languages=list(data.languages),
        families_reached=data.families_reached, outcome=data.outcome.strip(), replicates=replicates)
    for upload in files:
        PracticeFile.objects.create(practice=practice, file=upload, name=str(upload.name)[:200])
    return practice


@transaction.atomic
def practice_update(*, practice: Practice, data: PracticeInput, files: list[Any]) -> Practice:
    practice.title, practice.practice, practice.goal = data.title.strip(), data.practice.strip(), data.goal
    practice.grade_band, practice.languages = data.grade_band, list(data.languages)
    practice.families_reached, practice.outcome = data.families_reached, data.outcome.strip()
    practice.save()
    for upload in files:
        PracticeFile.objects.create(practice=practice, file=upload, name=str(upload.name)[:200])
    return practice


def may_edit_practice(user: Any, practice: Practice) -> bool:
    """Its author, the principal of its school, or an administrator of its district."""
    scope = scoping.scope_for(user)
    return (practice.author_id == scope.staff_id or practice.district_id in scope.district_ids
            or (practice.school_id is not None and practice.school_id in scope.principal_school_ids))


def practices_search(practices: QuerySet[Practice], *, goal: str = "", grade_band: str = "", language: str = "",
                     text: str = "") -> QuerySet[Practice]:
    if goal:
        practices = practices.filter(goal=goal)
    if grade_band:
        practices = practices.filter(grade_band=grade_band)
    if language:
        practices = practices.filter(languages__contains=[language]) if connection.vendor == "postgresql" else \
            practices.filter(languages__icontains=f'"{language}"')
    if text.strip():
        words = text.strip()
        practices = practices.filter(Q(title__icontains=words) | Q(practice__icontains=words)
                                     | Q(outcome__icontains=words))
    return practices


@transaction.atomic
def rota_plan(*, district_id: int, first: dt.date, every_weeks: int, staff: list[Staff], turns: int = 0
              ) -> list[SharingTurn]:
    """Give the next council meetings to `staff` in turn (each once per round), replacing later turns."""
    if not staff:
        raise LearningError(_("Choose who shares."))
    turns = turns or len(staff)
    SharingTurn.objects.filter(district_id=district_id, meeting_on__gte=first).delete()
    return SharingTurn.objects.bulk_create(
        SharingTurn(district_id=district_id, meeting_on=first + dt.timedelta(weeks=every_weeks * i),
                    staff=staff[i % len(staff)]) for i in range(turns))


def next_turns(district_id: int, today: dt.date, count: int = 6) -> QuerySet[SharingTurn]:
    return SharingTurn.objects.filter(district_id=district_id, meeting_on__gte=today).select_related(
        "staff").order_by("meeting_on")[:count]
