"""Deciding, for one student's school year, what each day counts as under the rules (pure: no database).

The order matters: an absence's number in the year decides which excuses apply (1–9: documented by the
family; from the 10th: listed reasons only), and a wellness day counts only if it is not the day after another.

A year can also be classified from a checkpoint: the running counts just before the first day whose outcome
could still change (an absence still waiting for the student's return or for its documentation window to
close). A day's import then classifies only the days after the checkpoint instead of the whole year.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from homeroom.attendance.rules import Rules

IsSchoolDay = Callable[[date], bool]

PRESENT = "present"
EXCUSED = "excused"
UNEXCUSED = "unexcused"
DISCIPLINARY = "disciplinary"


@dataclass(frozen=True, slots=True)
class Document:
    kind: str  # "parent" or "medical"
    received_on: date


@dataclass(slots=True)
class Day:
    """One attendance row as the rules see it."""

    day: date
    school_id: int
    status: str
    reason: str = ""
    minutes_present: int | None = None
    minutes_in_day: int | None = None
    documents: list[Document] = field(default_factory=list)


@dataclass(slots=True)
class Outcome:
    day: date
    school_id: int
    status: str
    reason: str
    category: str  # present, excused, unexcused, disciplinary; "" for a day that is not a school day
    rule: str  # why, as a short code (see RULE_LABELS in the selectors)
    absence_number: int = 0
    documentation_due: date | None = None
    missing_documentation: bool = False
    # Could still change as later days arrive or time passes (waiting for the return or the documentation).
    open: bool = False

    @property
    def is_absence(self) -> bool:
        return self.category in (EXCUSED, UNEXCUSED, DISCIPLINARY)


@dataclass
class SchoolCounts:
    """One student's year at one school."""

    school_id: int
    days_enrolled: int = 0
    days_present: int = 0
    absences: int = 0
    excused: int = 0
    unexcused: int = 0
    disciplinary: int = 0
    tardies: int = 0
    early_dismissals: int = 0
    missing_documentation: int = 0
    first_day: date | None = None
    last_day: date | None = None
    at_risk_since: date | None = None  # the day the student last went over the line (None: under it now)
    chronic_since: date | None = None
    # month "YYYY-MM" → (days enrolled so far, absences so far) at the end of that month
    months: dict[str, tuple[int, int]] = field(default_factory=dict)

    def ratio(self) -> float:
        return self.absences / self.days_enrolled if self.days_enrolled else 0.0


_COUNT_FIELDS = ("days_enrolled", "days_present", "absences", "excused", "unexcused", "disciplinary", "tardies",
                 "early_dismissals", "missing_documentation")
_DATE_FIELDS = ("first_day", "last_day", "at_risk_since", "chronic_since")


def _day_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso_or_none(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class YearState:
    """Everything the classification carries from one day to the next."""

    absences: int = 0
    wellness_days: list[date] = field(default_factory=list)
    unexcused_by_month: dict[str, int] = field(default_factory=dict)
    unexcused_total: int = 0
    truant_since: date | None = None
    schools: dict[int, SchoolCounts] = field(default_factory=dict)

    def counts(self, school_id: int) -> SchoolCounts:
        """The school's counts, made empty when first asked for (not built on every call, as setdefault would)."""
        found = self.schools.get(school_id)
        if found is None:
            found = self.schools[school_id] = SchoolCounts(school_id)
        return found

    def as_json(self, *, months_from: str = "") -> list[Any]:
        """The state as compact JSON: positional lists, not objects (a day's import reads and writes one per
        student, and named fields made it the import's largest cost in Python), with each school's months before
        `months_from` ("YYYY-MM") left out: an evaluation that carries on from a checkpoint rewrites only the
        months from the checkpoint's own month on, so the earlier ones are never read back."""
        return [
            self.absences,
            [d.isoformat() for d in self.wellness_days],
            dict(self.unexcused_by_month),
            self.unexcused_total,
            _iso_or_none(self.truant_since),
            [[c.school_id, *(getattr(c, name) for name in _COUNT_FIELDS),
              *(_iso_or_none(getattr(c, name)) for name in _DATE_FIELDS),
              {month: list(counts) for month, counts in c.months.items() if month >= months_from}]
             for c in self.schools.values()],
        ]

    def clone(self) -> YearState:
        """A copy to carry on from (what copy.deepcopy gives, without its generic walk: it ran once per student)."""
        schools = {}
        for school_id, counts in self.schools.items():
            copied = copy.copy(counts)
            copied.months = dict(counts.months)
            schools[school_id] = copied
        return YearState(self.absences, list(self.wellness_days), dict(self.unexcused_by_month),
                         self.unexcused_total, self.truant_since, schools)

    @classmethod
    def from_json(cls, data: list[Any]) -> YearState:
        """The state as_json wrote."""
        absences, wellness_days, unexcused_by_month, unexcused_total, truant_since, schools = data
        width = len(_COUNT_FIELDS)
        state = cls(absences, [date.fromisoformat(d) for d in wellness_days], unexcused_by_month, unexcused_total,
                    _day_or_none(truant_since))
        for item in schools:
            values: dict[str, Any] = dict(zip(_COUNT_FIELDS, item[1:1 + width], strict=True))
            values.update((name, _day_or_none(v)) for name, v in zip(_DATE_FIELDS, item[1 + width:-1], strict=True))
            counts = SchoolCounts(item[0], **values, months={month: (v[0], v[1]) for month, v in item[-1].items()})
            state.schools[counts.school_id] = counts
        return state


@dataclass
class Checkpoint:
    """The state after every counted day up to `settled_through`, none of whose outcomes can change any more."""

    settled_through: date
    state: YearState


@dataclass
class YearResult:
    outcomes: list[Outcome]  # from a checkpoint: only the days after it
    schools: dict[int, SchoolCounts]
    truant: bool
    truant_since: date | None
    unexcused_by_month: dict[str, int]
    checkpoint: Checkpoint | None = None  # where the next classification may start (None: from the first day)

    def current_school(self) -> SchoolCounts | None:
        counted = [c for c in self.schools.values() if c.last_day is not None]
        return max(counted, key=lambda c: c.last_day or date.min) if counted else None


@lru_cache(maxsize=1024)
def month_key(day: date) -> str:
    return day.strftime("%Y-%m")


# The answers of school_days_after per calendar, kept as _SCHOOL_DAY_BITS are (below): a district's students ask
# about the same few hundred days, twice for each absence (its return and its documentation's due date).
_DAYS_AFTER: weakref.WeakKeyDictionary[IsSchoolDay, dict[Any, Any]] = weakref.WeakKeyDictionary()


def school_days_after(is_school_day: IsSchoolDay, start: date, n: int,
                      known: dict[tuple[date, int], date] | None = None) -> date:
    """The n-th school day after `start` (`known`: the calendar's _days_after_known, if the caller holds it)."""
    if known is None:
        known = _days_after_known(is_school_day)
    found = known.get((start, n))
    if found is None:
        found = known[(start, n)] = _count_school_days(is_school_day, start, n)
    return found


def _days_after_known(is_school_day: IsSchoolDay) -> dict[tuple[date, int], date]:
    """The calendar's answers of school_days_after so far (looked up once per student's year: a weak dictionary's
    look-up makes a weak reference each time, and there are two per absence)."""
    return _known(_DAYS_AFTER, is_school_day)


def _known(memos: weakref.WeakKeyDictionary[IsSchoolDay, dict[Any, Any]], is_school_day: IsSchoolDay) -> dict[Any, Any]:
    """The calendar's dictionary in `memos`, made empty when first asked for."""
    found = memos.get(is_school_day)  # not setdefault: it makes a weak reference with a callback every time
    if found is None:
        found = memos[is_school_day] = {}
    return found


def _count_school_days(is_school_day: IsSchoolDay, start: date, n: int) -> date:
    day, remaining = start, n
    for _ in range(3700):
        day += timedelta(days=1)
        if is_school_day(day):
            remaining -= 1
            if remaining <= 0:
                return day
    raise ValueError("no school day within ten years")


def counts_as_present(day: Day, rules: Rules) -> bool:
    reason = rules.reason(day.reason)
    if reason is not None and reason.counts_as == "present":
        return rules.remote_authorized if reason.requires_remote_authorized else True
    if day.minutes_present is not None and day.minutes_in_day:
        return day.minutes_present >= rules.min_fraction_of_day * day.minutes_in_day
    return rules.status_counts_as.get(day.status, "absent") == "present"


@dataclass(slots=True)
class PlainDays:
    """The days a student was reported present and nothing more (no reason, minutes or documents), per school,
    as the bits of an int: bit i is `origin` + i days. Nearly every day of a year is one of these."""

    origin: date
    bits: dict[int, int] = field(default_factory=dict)


@dataclass(slots=True)
class YearDays:
    """A student's year as the evaluation reads it: the days with something to say, and the plain ones."""

    exceptions: list[Day]
    plain: PlainDays


def is_plain(day: Day) -> bool:
    return (day.status == PRESENT and not day.reason and day.minutes_present is None and day.minutes_in_day is None
            and not day.documents)


def split_plain(days: Iterable[Day], rules: Rules) -> YearDays:
    """Days → YearDays (every day an exception when the rules do not count the present status as present)."""
    listed = list(days)
    origin = min((d.day for d in listed), default=date.min)
    plain = PlainDays(origin)
    exceptions = []
    keep_plain = rules.status_counts_as.get(PRESENT, "absent") == PRESENT
    for day in listed:
        if keep_plain and is_plain(day):
            plain.bits[day.school_id] = plain.bits.get(day.school_id, 0) | 1 << (day.day - origin).days
        else:
            exceptions.append(day)
    return YearDays(exceptions, plain)


# Each calendar's school days as bits, per origin and length in years: kept while the calendar function lives
# (an import's Calendars, a test's function), so a long-running worker does not hold last month's calendars.
_SCHOOL_DAY_BITS: weakref.WeakKeyDictionary[IsSchoolDay, dict[Any, Any]] = weakref.WeakKeyDictionary()


def school_day_bits(is_school_day: IsSchoolDay, origin: date, length: int) -> int:
    """The school days of (at least) `length` days from `origin` as bits (bit i: origin + i days)."""
    years = length // 366 + 1
    known = _known(_SCHOOL_DAY_BITS, is_school_day)
    bits = known.get((origin, years))
    if bits is None:
        bits = 0
        for i in range(years * 366):
            if is_school_day(origin + timedelta(days=i)):
                bits |= 1 << i
        known[(origin, years)] = bits
    return bits


def _lowest(bits: int) -> int:
    return (bits & -bits).bit_length() - 1


def classify_year(days: Iterable[Day] | YearDays, rules: Rules, calendars: dict[int, IsSchoolDay], today: date,
                  start: Checkpoint | None = None, *, plain_outcomes: bool = True) -> YearResult:
    """Classify one student's school year (every school in the district), in date order.

    With `start`, only the days after `start.settled_through` count, and the counts carry on from its state
    (which this changes in place: load a fresh one each time).

    `days` as a list of Days are taken one by one (a page showing one student's year, the few days after a
    checkpoint). As YearDays (the bulk evaluation's reading of whole years), only the days with something to say
    are: the plain present days between two of them are counted together, per school and month, from their bits.
    A present day can only add to the days enrolled and present and bring the absence ratio down, so a run of
    them changes the counts as one step does (tests/attendance/test_runs.py holds the two ways to the same
    result). `plain_outcomes` adds an Outcome for each plain day; the bulk evaluation reads only the absences.
    """
    year = days if isinstance(days, YearDays) else YearDays(list(days), PlainDays(date.min))
    if year.plain.bits and rules.status_counts_as.get(PRESENT, "absent") != PRESENT:
        year = YearDays([*year.exceptions, *_as_days(year.plain)], PlainDays(year.plain.origin))
    state = start.state if start is not None else YearState()
    last_settled = start.settled_through if start is not None else None
    origin = year.plain.origin
    ordered = sorted(year.exceptions, key=lambda d: d.day)
    school_day = [calendars[d.school_id](d.day) for d in ordered]
    counted = [d for d, flag in zip(ordered, school_day, strict=True) if flag]
    present = [counts_as_present(d, rules) for d in counted]
    days_after = {school_id: _days_after_known(calendars[school_id]) for school_id in {d.school_id for d in counted}}
    # Bits of the days a checkpoint has counted already are left out (a list of Days has no bits, and its origin
    # is date.min: no mask is built for it).
    settled_bits = -1 << (last_settled - origin).days + 1 if (year.plain.bits and last_settled is not None
                                                             and last_settled >= origin) else -1
    runs: dict[int, int] = {}
    for school_id, bits in year.plain.bits.items():
        counted_bits = bits & school_day_bits(calendars[school_id], origin, bits.bit_length()) & settled_bits
        if counted_bits:
            runs[school_id] = counted_bits
    every_plain = 0
    for bits in runs.values():
        every_plain |= bits
    span = _span(origin, every_plain.bit_length() // 366 + 1) if runs else None
    # The day the student came back after each absence: the next counted day they attended (None: not yet).
    returns: list[date | None] = [None] * len(counted)
    next_back: date | None = None
    for i in range(len(counted) - 1, -1, -1):
        back = next_back
        later_plain = every_plain >> ((counted[i].day - origin).days + 1) if every_plain else 0
        if later_plain:
            plain_back = counted[i].day + timedelta(days=_lowest(later_plain) + 1)
            back = plain_back if back is None or plain_back < back else back
        returns[i] = back
        if present[i]:
            next_back = counted[i].day
    outcomes: list[Outcome] = []
    checkpoint: Checkpoint | None = None
    found_open = False
    run_from = 0  # the first bit of the plain days not counted yet
    for i, day in enumerate(counted):
        if span is not None:
            run_to = (day.day - origin).days
            last_plain = _count_runs(state, runs, span, run_from, run_to, rules)
            run_from = max(run_from, run_to + 1)
            if last_plain >= 0 and not found_open:
                last_settled = span.days[last_plain]
        outcome = Outcome(day.day, day.school_id, day.status, day.reason, PRESENT, "present")
        if not present[i]:
            state.absences += 1
            outcome.absence_number = state.absences
            _excuse(outcome, day, rules, calendars[day.school_id], returns[i], state.wellness_days, today,
                    days_after[day.school_id])
            if outcome.open and not found_open:
                found_open = True
                if last_settled is not None:  # the state just before this day: only its absence was counted
                    before = state.clone()
                    before.absences -= 1
                    checkpoint = Checkpoint(last_settled, before)
        else:
            outcome.rule = _present_rule(day, rules)
        outcomes.append(outcome)
        counts = state.counts(day.school_id)
        _count(counts, day, outcome, rules)
        if outcome.category == UNEXCUSED:
            month = month_key(day.day)
            state.unexcused_by_month[month] = state.unexcused_by_month.get(month, 0) + 1
            state.unexcused_total += 1
            if state.truant_since is None and (state.unexcused_by_month[month] >= rules.truancy_in_month
                                               or state.unexcused_total >= rules.truancy_in_year):
                state.truant_since = day.day
        if not found_open:
            last_settled = day.day
    if span is not None:
        last_plain = _count_runs(state, runs, span, run_from, every_plain.bit_length(), rules)
        if last_plain >= 0 and not found_open:
            last_settled = span.days[last_plain]
    if not found_open and last_settled is not None:
        checkpoint = Checkpoint(last_settled, state)
    outcomes.extend(Outcome(d.day, d.school_id, d.status, d.reason, "", "not_a_school_day")
                    for d, flag in zip(ordered, school_day, strict=True) if not flag)
    if plain_outcomes:
        outcomes.extend(_plain_outcomes(year.plain, runs, calendars))
    outcomes.sort(key=lambda o: o.day)
    return YearResult(outcomes, state.schools, state.truant_since is not None, state.truant_since,
                      dict(state.unexcused_by_month), checkpoint)


def _count_runs(state: YearState, runs: dict[int, int], span: _Span, start: int, end: int, rules: Rules) -> int:
    """Count the plain days from bit `start` up to (not including) bit `end` at each school; the last of their
    bits (-1: none).

    Called before each day with something to say (a million times for a district's year): kept to a few steps."""
    if end <= start:
        return -1
    window = ((1 << (end - start)) - 1) << start
    found = [(bits & window, school_id) for school_id, bits in runs.items() if bits & window]
    if len(found) > 1:
        found.sort(key=lambda item: _lowest(item[0]))  # a school first seen here joins the year in date order
    days, month_of, months = span.days, span.month_of, span.months
    last = -1
    for bits, school_id in found:
        counts = state.counts(school_id)
        low, high = _lowest(bits), bits.bit_length() - 1
        if counts.first_day is None:
            counts.first_day = days[low]
        counts.last_day = days[high]
        first_month, last_month = month_of[low], month_of[high]
        if first_month == last_month:  # most runs (the days between two absences) lie within a month
            added = bits.bit_count()
            counts.days_enrolled += added
            counts.days_present += added
            counts.months[months[first_month][2]] = (counts.days_enrolled, counts.absences)
        else:
            for month_start, month_end, month in months[first_month:last_month + 1]:
                added = (bits >> month_start & ((1 << (month_end - month_start)) - 1)).bit_count()
                if added:
                    counts.days_enrolled += added
                    counts.days_present += added
                    counts.months[month] = (counts.days_enrolled, counts.absences)
        # Present days only bring the ratio down: the run ends below a line or has stayed above it throughout.
        ratio = counts.absences / counts.days_enrolled
        if ratio < rules.at_risk_ratio:
            counts.at_risk_since = None
        elif counts.at_risk_since is None:
            counts.at_risk_since = days[low]
        if ratio < rules.chronic_ratio:
            counts.chronic_since = None
        elif counts.chronic_since is None:
            counts.chronic_since = days[low]
        if high > last:
            last = high
    return last


@dataclass(frozen=True, slots=True)
class _Span:
    """The days from an origin as counting plain days reads them: each bit's day, the index of its month in
    `months`, and the months ((first bit, bit after its last, "YYYY-MM"))."""

    days: tuple[date, ...]
    month_of: tuple[int, ...]
    months: tuple[tuple[int, int, str], ...]


@lru_cache(maxsize=64)
def _span(origin: date, years: int) -> _Span:
    """The _Span of at least `years` × 366 days from `origin` (whole months)."""
    months = _months(origin, years)
    return _Span(tuple(origin + timedelta(days=i) for i in range(months[-1][1])),
                 tuple(i for i, (start, end, _key) in enumerate(months) for _bit in range(start, end)), months)


@lru_cache(maxsize=64)
def _months(origin: date, years: int) -> tuple[tuple[int, int, str], ...]:
    """(first bit, bit after its last, key) of each month from `origin` on, for at least `years` × 366 bits."""
    months = []
    position, day = 0, origin
    while position < years * 366:
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        end = position + (following - day).days
        months.append((position, end, month_key(day)))
        position, day = end, following
    return tuple(months)


def _days_of(bits: int, origin: date) -> Iterable[tuple[int, date]]:
    """(bit, day) of each bit set, in order."""
    position = _lowest(bits)
    while bits >> position:
        if bits >> position & 1:
            yield position, origin + timedelta(days=position)
        position += 1


def _as_days(plain: PlainDays) -> Iterable[Day]:
    """The plain days as Days, for rules that do not count the present status as present."""
    for school_id, bits in plain.bits.items():
        for _position, day in _days_of(bits, plain.origin):
            yield Day(day, school_id, PRESENT)


def _plain_outcomes(plain: PlainDays, runs: dict[int, int], calendars: dict[int, IsSchoolDay]) -> Iterable[Outcome]:
    """An Outcome for each plain day: present if it counted, or not a school day (days settled by a checkpoint
    have theirs already)."""
    for school_id, bits in plain.bits.items():
        counted = runs.get(school_id, 0)
        school_days = school_day_bits(calendars[school_id], plain.origin, bits.bit_length())
        for position, day in _days_of(bits, plain.origin):
            if counted >> position & 1:
                yield Outcome(day, school_id, PRESENT, "", PRESENT, "present")
            elif not school_days >> position & 1:
                yield Outcome(day, school_id, PRESENT, "", "", "not_a_school_day")


def _present_rule(day: Day, rules: Rules) -> str:
    reason = rules.reason(day.reason)
    if reason is not None and reason.requires_remote_authorized:
        return "present_remote"
    if reason is not None and reason.counts_as == "present":
        return "present_alternative"
    return "present" if day.status == "present" else "present_part_day"


def _count(counts: SchoolCounts, day: Day, outcome: Outcome, rules: Rules) -> None:
    counts.days_enrolled += 1
    counts.first_day = counts.first_day or day.day
    counts.last_day = day.day
    if outcome.is_absence:
        counts.absences += 1
        if outcome.category == EXCUSED:
            counts.excused += 1
        elif outcome.category == UNEXCUSED:
            counts.unexcused += 1
        else:
            counts.disciplinary += 1
        if outcome.missing_documentation:
            counts.missing_documentation += 1
    else:
        counts.days_present += 1
        if day.status == "tardy":
            counts.tardies += 1
        elif day.status == "early_dismissal":
            counts.early_dismissals += 1
    counts.months[month_key(day.day)] = (counts.days_enrolled, counts.absences)
    ratio = counts.ratio()
    if ratio < rules.at_risk_ratio:
        counts.at_risk_since = None
    elif counts.at_risk_since is None:
        counts.at_risk_since = day.day
    if ratio < rules.chronic_ratio:
        counts.chronic_since = None
    elif counts.chronic_since is None:
        counts.chronic_since = day.day


def _excuse(outcome: Outcome, day: Day, rules: Rules, is_school_day: IsSchoolDay, returned: date | None,
            wellness_days: list[date], today: date, days_after: dict[tuple[date, int], date]) -> None:
    reason = rules.reason(day.reason)
    if reason is not None and reason.disciplinary:
        outcome.category, outcome.rule = DISCIPLINARY, "disciplinary"
        return
    if reason is not None and reason.wellness_day and _wellness_allowed(day, rules, wellness_days, is_school_day):
        wellness_days.append(day.day)
        outcome.category, outcome.rule = EXCUSED, "wellness_day"
        return
    listed_only = outcome.absence_number > rules.documented_up_to
    if listed_only and (reason is None or not reason.listed):
        outcome.category, outcome.rule = UNEXCUSED, "reason_not_listed"
        return
    needed = reason.documentation if (listed_only and reason is not None) else "parent"
    if needed == "none":
        outcome.category, outcome.rule = EXCUSED, "listed_reason"
        return
    # Counted from the return, or (not back yet) from the next school day: the family cannot be late before then.
    back = returned or school_days_after(is_school_day, day.day, 1, days_after)
    due = school_days_after(is_school_day, back, rules.documentation_window, days_after)
    outcome.documentation_due = due
    usable = [d for d in day.documents if needed == "parent" or d.kind == "medical"]
    if any(d.received_on <= due for d in usable):
        # Settled: a later return only moves the due date later, so the document stays in time.
        outcome.category = EXCUSED
        outcome.rule = "listed_reason" if listed_only else "documented"
    elif usable:
        outcome.category, outcome.rule = UNEXCUSED, "documentation_late"
        outcome.open = returned is None
    elif today <= due:
        outcome.category = UNEXCUSED
        outcome.rule = "awaiting_medical" if needed == "medical" else "awaiting_documentation"
        outcome.missing_documentation = True
        outcome.open = True
    else:
        outcome.category, outcome.rule = UNEXCUSED, "no_documentation"
        outcome.open = returned is None


def _wellness_allowed(day: Day, rules: Rules, used: list[date], is_school_day: IsSchoolDay) -> bool:
    if len(used) >= rules.wellness_per_year:
        return False
    if rules.wellness_consecutive_allowed or not used:
        return True
    # Consecutive: the school day before this one was itself a wellness day.
    previous = day.day - timedelta(days=1)
    for _ in range(31):
        if is_school_day(previous):
            break
        previous -= timedelta(days=1)
    return previous != used[-1]
