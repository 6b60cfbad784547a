"""The monthly family contact log: which contacts, the counts at the top, and the rows an export writes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.contacts import selectors
from homeroom.contacts.models import ContactLog, Direction, Method, Outcome, Purpose, Source
from homeroom.core.words import language_name
from homeroom.roster import generation
from homeroom.roster.models import Enrollment, Guardian, Relationship, Staff, Student, StudentGuardian

CHUNK = 2000
COUNTS_TTL = 10 * 60  # bounds how long a roster change made outside an import goes unseen in the counts


@dataclass(frozen=True)
class MonthlyFilters:
    month: date  # first day of the first month
    through: date  # first day of the last month (same as month for one month)
    staff_id: int | None = None
    section_id: int | None = None
    school_id: int | None = None
    group: str = "month"  # XLSX sheets: "month" or "staff"

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.month, time.min))

    @property
    def end(self) -> datetime:
        nxt = date(self.through.year + self.through.month // 12, self.through.month % 12 + 1, 1)
        return timezone.make_aware(datetime.combine(nxt, time.min))


def _own_log(user: Any, filters: MonthlyFilters) -> bool:
    """A teacher's or case manager's own log (their scope is their own students; the staff filter is themself)."""
    scope = scoping.scope_for(user)
    return bool(filters.staff_id) and filters.staff_id == scope.staff_id and not (
        scope.district_ids or scope.school_ids)


def students_in_filter(user: Any, filters: MonthlyFilters) -> QuerySet[Student]:
    """Students the log is about: the section's, the school's, the staff member's own, or the user's own."""
    students = scoping.staff_students_for(user)
    if filters.section_id:
        students = students.filter(pk__in=Enrollment.objects.filter(
            section_id=filters.section_id, is_active=True, student__isnull=False).values("student_id"))
    if filters.school_id:
        students = students.filter(school_id=filters.school_id)
    if filters.staff_id and not _own_log(user, filters):
        # (In one's own log the scope already is one's own students: see selectors.own_students.)
        students = students.filter(pk__in=selectors.students_of_staff(filters.staff_id))
    if not (filters.section_id or filters.school_id or filters.staff_id):
        students = selectors.own_students(user)
    return students


def monthly_contacts(user: Any, filters: MonthlyFilters) -> QuerySet[ContactLog]:
    if filters.staff_id and _own_log(user, filters):
        # One's own contacts are always visible to oneself (selectors.contacts_for): no visibility subqueries.
        contacts = ContactLog.objects.filter(staff_id=filters.staff_id)
    else:
        contacts = selectors.contacts_for(user)
        if filters.staff_id:
            contacts = contacts.filter(staff_id=filters.staff_id)
    contacts = contacts.filter(occurred_at__gte=filters.start, occurred_at__lt=filters.end)
    if filters.section_id or filters.school_id:
        about = ContactLog.students.through.objects.filter(
            contactlog_id=OuterRef("pk"), student_id__in=students_in_filter(user, filters).values("id")
        )
        contacts = contacts.filter(Exists(about))
    return contacts


def _families(guardians: QuerySet[Any], prefix: str = "", **only: Q) -> dict[str, Count]:
    """Aggregates counting families among `guardians` (a household counts once; a guardian without one, alone).

    `prefix` is the path from the queried model to Guardian; each keyword names a condition whose families
    are counted separately as `<name>_households` and `<name>_alone`.
    """
    household, pk = f"{prefix}household_id", f"{prefix}id" if prefix else "id"
    aggregates: dict[str, Count] = {}
    for name, condition in only.items():
        aggregates[f"{name}_households"] = Count(household, filter=condition, distinct=True)
        aggregates[f"{name}_alone"] = Count(pk, filter=condition & Q(**{f"{household}__isnull": True}),
                                            distinct=True)
    return aggregates


def _counts_key(user: Any, filters: MonthlyFilters, contacts: QuerySet[ContactLog]) -> str:
    """The cache key of the counts: the viewer's scope and filters, what the contacts they count were at (see
    below) and the roster's generation (moved by every import).

    A school's or district's counts change with any contact in it: keyed by the newest change to the whole contact
    log (an indexed MAX). A teacher's or case manager's change only with the contacts they count, which are few:
    keyed by their newest change and their number (a contact logged, edited, moved out of the month or to another
    staff member changes one or the other), so one colleague's contact leaves everyone else's counts cached.
    """
    scope = scoping.scope_for(user)
    if scope.district_ids or scope.school_ids:
        who = f"{','.join(map(str, sorted(scope.district_ids)))}/{','.join(map(str, sorted(scope.school_ids)))}"
        changed = ContactLog.objects.aggregate(at=Max("updated_at"))["at"]
        state = changed.isoformat() if changed else ""
    else:
        who = f"staff-{scope.staff_id}"
        seen = contacts.order_by().aggregate(at=Max("updated_at"), n=Count("id"))
        state = f"{seen['at'].isoformat() if seen['at'] else ''}/{seen['n']}"
    parts = [who, f"{filters.month}", f"{filters.through}", str(filters.staff_id or ""),
             str(filters.section_id or ""), str(filters.school_id or ""), state, str(generation.current())]
    return "contacts:monthly-counts:" + ":".join(parts)


def monthly_counts(user: Any, filters: MonthlyFilters, contacts: QuerySet[ContactLog]) -> dict[str, Any]:
    """Contacts, families reached, positive contacts, family-initiated share, families in scope not contacted.

    Counted by the database (three queries), so a district's month costs the same memory as a teacher's. They
    span every family in the viewer's scope, so they are kept in the shared cache until a contact they count is
    logged or changed, or an import changes the roster (see `_counts_key`); a roster change made outside an
    import shows within COUNTS_TTL.
    """
    key = _counts_key(user, filters, contacts)
    counts = cache.get(key)
    if counts is None:
        counts = _monthly_counts(user, filters, contacts)
        cache.set(key, counts, COUNTS_TTL)
    return counts


def _monthly_counts(user: Any, filters: MonthlyFilters, contacts: QuerySet[ContactLog]) -> dict[str, Any]:
    totals = contacts.order_by().aggregate(
        contacts=Count("id"),
        positive=Count("id", filter=Q(purpose=Purpose.POSITIVE)),
        family_initiated=Count("id", filter=Q(direction=Direction.FAMILY)),
    )
    links = ContactLog.guardians.through.objects.filter(contactlog_id__in=contacts.order_by().values("id"))
    reached = links.aggregate(**_families(links, "guardian__", reached=Q(contactlog__outcome=Outcome.REACHED)))
    contacted_households = links.filter(guardian__household_id__isnull=False).values("guardian__household_id")
    in_scope = Guardian.objects.filter(
        scoping.family_access("student_links__"),
        student_links__student__in=students_in_filter(user, filters), is_active=True,
    )
    families = in_scope.aggregate(**_families(
        in_scope,
        all=Q(),
        contacted=Q(household_id__in=contacted_households) | Q(household_id__isnull=True,
                                                               id__in=links.values("guardian_id")),
    ))
    total = totals["contacts"]
    in_scope_count = families["all_households"] + families["all_alone"]
    return {
        "contacts": total,
        "families_reached": reached["reached_households"] + reached["reached_alone"],
        "positive": totals["positive"],
        "family_initiated_share": round(100 * totals["family_initiated"] / total) if total else 0,
        "families_in_scope": in_scope_count,
        "families_not_contacted": in_scope_count - families["contacted_households"] - families["contacted_alone"],
    }


@dataclass(frozen=True)
class ExportRow:
    occurred_at: datetime  # local, naive: spreadsheets have no time zones
    staff: str
    staff_id: int
    students: str
    guardians: str
    relationships: str
    method: str
    direction: str
    recorded_as: str  # logged by staff, a school message, a conversation (contacts.ledger)
    purpose: str
    outcome: str
    language: str
    interpreter: str
    notes: str
    follow_up_on: date | None
    student_ids: tuple[int, ...] = ()  # the students named in `students`, for the access log


def export_headers(with_notes: bool) -> list[str]:
    headers = [_("Date"), _("Staff member"), _("Student"), _("Guardian"), _("Relationship"), _("Method"),
               _("Direction"), _("Recorded as"), _("Purpose"), _("Outcome"), _("Language"), _("Interpreter")]
    if with_notes:
        headers.append(_("Notes"))
    headers.append(_("Follow-up"))
    return headers


def export_values(row: ExportRow, with_notes: bool) -> list[Any]:
    values: list[Any] = [row.occurred_at, row.staff, row.students, row.guardians, row.relationships, row.method,
                         row.direction, row.recorded_as, row.purpose, row.outcome, row.language, row.interpreter]
    if with_notes:
        values.append(row.notes)
    values.append(row.follow_up_on)
    return values


def export_includes_notes(user: Any, contacts: QuerySet[ContactLog]) -> bool:
    """The notes column appears only if the requester may read the notes of at least one exported contact."""
    return contacts.filter(selectors.notes_visibility(user)).exists()


def students_named(user: Any, contacts: QuerySet[ContactLog]) -> QuerySet[Student]:
    """The students an export of these contacts names (for the access log, read by the database)."""
    about = ContactLog.students.through.objects.filter(contactlog_id__in=contacts.order_by().values("id"))
    # The ids are read first: nesting the month's query inside the scope's UNION overflows SQLite's parser.
    ids = list(about.values_list("student_id", flat=True).distinct())
    return scoping.staff_students_named_for(user).filter(id__in=ids)


def export_rows(
    user: Any, contacts: QuerySet[ContactLog], *, order_by_staff: bool = False, limit: int | None = None,
    offset: int = 0,
) -> Iterator[ExportRow]:
    """One row per contact, streamed in chunks so memory stays flat however large the month."""
    labels: dict[str, str] = {
        key: str(value)
        for choices in (Method.choices, Direction.choices, Purpose.choices, Outcome.choices)
        for key, value in choices
    }
    sources = {key: str(value) for key, value in Source.choices}
    relationship_labels = {key: str(value) for key, value in Relationship.choices}
    yes, no = _("Yes"), _("No")
    ordering = ["staff__family_name", "staff__given_name", "staff_id", "occurred_at", "id"] if order_by_staff else [
        "occurred_at", "id"]
    staff_names: dict[int, str] = {}  # filled chunk by chunk: a page of the log names only its own staff
    values = selectors.with_notes_flag(user, contacts).order_by(*ordering).values_list(  # type: ignore[misc]
        "id", "occurred_at", "staff_id", "method", "direction", "purpose", "outcome", "language",
        "interpreter_used", "notes", "follow_up_on", "notes_visible", "source", "subject",
    )
    if limit is not None:
        values = values[offset:offset + limit]
    tz = timezone.get_current_timezone()
    # A contact about students in several schools names to each viewer only the students in their scope.
    named = scoping.staff_students_named_for(user)
    chunk: list[tuple[Any, ...]] = []
    for record in values.iterator(chunk_size=CHUNK):
        chunk.append(record)
        if len(chunk) >= CHUNK:
            _name_staff(staff_names, chunk)
            yield from _rows(chunk, named, labels, relationship_labels, staff_names, tz, yes, no, sources)
            chunk = []
    if chunk:
        _name_staff(staff_names, chunk)
        yield from _rows(chunk, named, labels, relationship_labels, staff_names, tz, yes, no, sources)


def _name_staff(names: dict[int, str], chunk: list[tuple[Any, ...]]) -> None:
    """Add the names of the chunk's staff not named yet (one query by key, not the whole month's staff)."""
    missing = {record[2] for record in chunk} - names.keys()
    if missing:
        names.update((pk, f"{g} {f}") for pk, g, f in Staff.objects.filter(pk__in=missing).values_list(
            "pk", "given_name", "family_name"))


def _rows(chunk: list[tuple[Any, ...]], named: QuerySet[Student], labels: dict[str, str],
          relationship_labels: dict[str, str], staff_names: dict[int, str], tz: Any, yes: str,
          no: str, sources: dict[str, str]) -> Iterator[ExportRow]:
    ids = [record[0] for record in chunk]
    students: dict[int, list[tuple[int, str]]] = {}
    rows = list(ContactLog.students.through.objects.filter(contactlog_id__in=ids).values_list(
        "contactlog_id", "student_id", "student__given_name", "student__preferred_name", "student__family_name"))
    # Checked apart from the query above: SQLite plans a second IN condition on the through table badly.
    visible = set(named.filter(pk__in={row[1] for row in rows}).values_list("pk", flat=True)) if rows else set()
    for contact_id, student_id, given, preferred, family in rows:
        if student_id in visible:
            students.setdefault(contact_id, []).append((student_id, f"{preferred or given} {family}"))
    guardians: dict[int, list[tuple[int, str]]] = {}
    for contact_id, guardian_id, given, family in ContactLog.guardians.through.objects.filter(
        contactlog_id__in=ids
    ).values_list("contactlog_id", "guardian_id", "guardian__given_name", "guardian__family_name"):
        guardians.setdefault(contact_id, []).append((guardian_id, f"{given} {family}"))
    # Filtered by guardian only: SQLite plans two IN lists on this table badly (a second per chunk).
    student_ids = {s for values in students.values() for s, _n in values}
    pairs = {
        (s, g): relationship_labels.get(rel, rel)
        for s, g, rel in StudentGuardian.objects.filter(
            guardian_id__in={g for values in guardians.values() for g, _n in values},
        ).values_list("student_id", "guardian_id", "relationship")
        if s in student_ids
    }
    for (pk, occurred, staff_id, method, direction, purpose, outcome, language, interpreter, notes, follow_up,
         notes_visible, source, subject) in chunk:
        contact_students = students.get(pk, [])
        contact_guardians = guardians.get(pk, [])
        relationships = [
            pairs[(s, g)] for g, _gn in contact_guardians for s, _sn in contact_students if (s, g) in pairs
        ]
        yield ExportRow(
            occurred_at=timezone.localtime(occurred, tz).replace(tzinfo=None),
            staff=staff_names.get(staff_id, ""),
            staff_id=staff_id,
            students="; ".join(name for _s, name in contact_students),
            guardians="; ".join(name for _g, name in contact_guardians),
            relationships="; ".join(dict.fromkeys(relationships)),
            method=labels.get(method, method),
            direction=labels.get(direction, direction),
            recorded_as=sources.get(source, source),
            purpose=labels.get(purpose, purpose),
            outcome=labels.get(outcome, outcome),
            language=language_name(language),
            interpreter=yes if interpreter else no,
            # A ledger row's subject is the message or conversation's (staff wrote no notes on it).
            notes=(notes or subject) if notes_visible else "",
            follow_up_on=follow_up,
            student_ids=tuple(s for s, _n in contact_students),
        )
