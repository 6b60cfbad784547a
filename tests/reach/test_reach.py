"""The reach page's rules: what counts as reached, two-way only, reasons and suggestions, small-cell suppression,
incremental refresh, scoping and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.contacts.models import ContactLog
from homeroom.core.models import AccessLog
from homeroom.messaging.models import Conversation, ConversationEntry, Delivery, Message
from homeroom.reach import reasons, refresh, selectors
from homeroom.reach.models import FamilyReach, FamilyReachMonth, ReachMonthCount
from tests import factories as f
from tests.actors import World

pytestmark = pytest.mark.django_db


def _message(w: World) -> Message:
    return Message.objects.create(district=w.district, school=w.lincoln, sender=w.principal,
                                  created_by=w.principal.user, category="news", callback_name="Office",
                                  callback_phone="+12035550100", status="sent")


_count = iter(range(10**6))


def delivery(w: World, guardian: Any, channel: str, state: str, *, content: str = "", days_ago: float = 1,
             read: bool = False) -> Delivery:
    when = timezone.now() - dt.timedelta(days=days_ago)
    row = Delivery.objects.create(
        message=_message(w), guardian=guardian, channel=channel, language=guardian.language,
        content_language=content or guardian.language, state=state, idempotency_key=f"k-{next(_count)}",
    )
    sent = state not in ("planned", "queued", "skipped")
    finished = state in ("delivered", "read", "failed", "bounced")
    Delivery.objects.filter(pk=row.pk).update(
        created_at=when, sent_at=when if sent else None, finished_at=when if finished else None,
        read_at=when if (read or state == "read") else None)
    return row


def contact(w: World, *, students: list[Any], guardians: list[Any], outcome: str = "reached", method: str = "phone",
            days_ago: float = 1, language: str = "en", direction: str = "school") -> ContactLog:
    log = ContactLog.objects.create(
        district=w.district, staff=w.teacher, occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        method=method, purpose="general", outcome=outcome, language=language, direction=direction,
        created_by=w.teacher.user)
    log.students.set(students)
    log.guardians.set(guardians)
    return log


def reply(w: World, guardian: Any, *, channel: str = "sms", days_ago: float = 1) -> ConversationEntry:
    thread = Conversation.objects.create(district=w.district, guardian=guardian, subject="Hello",
                                         last_entry_at=timezone.now())
    entry = ConversationEntry.objects.create(conversation=thread, from_guardian=True, channel=channel, body="Yes")
    when = timezone.now() - dt.timedelta(days=days_ago)
    ConversationEntry.objects.filter(pk=entry.pk).update(created_at=when)
    return entry


def row_of(student: Any) -> FamilyReach:
    return FamilyReach.objects.get(student=student)


def recent(value: dt.datetime | None) -> bool:
    return value is not None and value >= selectors.window_start()


# -- What counts as reached ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("channel", "state", "read", "reached"), [
    ("voice", "delivered", False, True),  # a call answered
    ("voice", "failed", False, False),  # busy, no answer
    ("sms", "delivered", False, True),
    ("sms", "sent", False, False),  # handed over, never confirmed
    ("email", "delivered", False, True),
    ("email", "read", False, True),
    ("email", "bounced", False, False),
    ("portal", "delivered", False, False),  # in the portal, not opened
    ("portal", "read", True, True),  # opened
])
def test_a_delivery_reaches_a_family_only_when_confirmed(world: World, channel: str, state: str, read: bool,
                                                         reached: bool) -> None:
    delivery(world, world.paul, channel, state, read=read)
    refresh.refresh(full=True)
    row = row_of(world.liam)
    assert recent(row.last_reached_at) is reached
    assert row.last_two_way_at is None  # a delivery is never two-way
    assert recent(row.last_attempt_at)


def test_a_family_whose_only_contact_was_a_text_reply_counts_as_reached(world: World) -> None:
    reply(world, world.paul, channel="sms")
    refresh.refresh(full=True)
    row = row_of(world.liam)
    assert recent(row.last_reached_at) and recent(row.last_two_way_at)
    assert row.last_attempt_at is None  # the school never tried: the family wrote first
    page = selectors.page(world.user("admin"), school=world.washington, two_way=True)
    assert (page.overall.families, page.overall.reached) == (1, 1)
    assert not selectors.not_reached(selectors.families(world.user("admin"), world.washington), two_way=True,
                                     since=selectors.window_start()).exists()


@pytest.mark.parametrize(("method", "outcome", "two_way"), [
    ("phone", "reached", True),
    ("home_visit", "reached", True),
    ("phone", "no_answer", False),
    ("letter", "reached", False),  # a letter home is one way
])
def test_a_logged_contact_reaches_a_family_when_it_reached_them_both_ways(world: World, method: str, outcome: str,
                                                                         two_way: bool) -> None:
    contact(world, students=[world.liam], guardians=[world.paul], method=method, outcome=outcome)
    refresh.refresh(full=True)
    row = row_of(world.liam)
    assert recent(row.last_reached_at) is two_way
    assert recent(row.last_two_way_at) is two_way
    assert recent(row.last_attempt_at)


def test_the_ledgers_row_for_a_school_message_is_not_a_two_way_contact(world: World) -> None:
    # contacts.ledger records a delivered message as a contact (source "message"); it is the delivery again,
    # read from messaging, so it must not also count as a contact staff logged both ways.
    log = contact(world, students=[world.liam], guardians=[world.paul], method="text")
    ContactLog.objects.filter(pk=log.pk).update(source="message", source_key="message-1-household-1")
    refresh.refresh(full=True)
    row = row_of(world.liam)
    assert row.last_two_way_at is None and row.last_reached_at is None


def test_a_guardian_without_rights_does_not_count_for_the_family(world: World) -> None:
    # Luis has no educational rights for Sofia: reaching him does not reach Sofia's family.
    delivery(world, world.luis, "sms", "delivered")
    reply(world, world.luis)
    refresh.refresh(full=True)
    assert row_of(world.sofia).last_reached_at is None


def test_contacts_older_than_30_days_do_not_count(world: World) -> None:
    delivery(world, world.paul, "sms", "delivered", days_ago=31)
    refresh.refresh(full=True)
    row = row_of(world.liam)
    assert row.last_reached_at is not None and not recent(row.last_reached_at)


def test_two_way_only_is_stricter(world: World, client_for: Any) -> None:
    delivery(world, world.paul, "sms", "delivered")
    refresh.refresh(full=True)
    admin = world.user("admin")
    assert selectors.page(admin, school=world.washington).overall.reached == 1
    assert selectors.page(admin, school=world.washington, two_way=True).overall.reached == 0
    url = reverse("reach:school", args=[world.washington.pk])
    assert "Liam" not in client_for("admin").get(url).content.decode()
    two_way = client_for("admin").get(url, {"view": "two_way"}).content.decode()
    assert "Liam" in two_way and 'aria-current="page">Two-way only' in two_way


# -- Why not reached, and what to try -----------------------------------------------------------------------------

def _reason(world: World, student: Any) -> reasons.NotReached:
    refresh.refresh(full=True)
    return reasons.explain([row_of(student)], since=selectors.window_start())[0]


def test_reason_no_contact_attempted(world: World) -> None:
    item = _reason(world, world.liam)
    assert item.reason == reasons.NO_ATTEMPT
    assert item.tries[0].code == reasons.CALL  # Paul reads English: a plain call


def test_reason_no_working_channel(world: World) -> None:
    type(world.paul).objects.filter(pk=world.paul.pk).update(email="", mobile_phone="", home_phone="", user=None)
    item = _reason(world, world.liam)
    assert item.reason == reasons.NO_CHANNEL
    assert [t.code for t in item.tries] == [reasons.HOME_VISIT, reasons.LETTER]


def test_reason_opted_out_of_everything(world: World) -> None:
    now = timezone.now()
    type(world.paul).objects.filter(pk=world.paul.pk).update(
        home_phone="", user=None, sms_opted_out_at=now, voice_opted_out_at=now, email_opted_out_at=now)
    item = _reason(world, world.liam)
    assert item.reason == reasons.OPTED_OUT
    assert reasons.HOME_VISIT in [t.code for t in item.tries]


def test_reason_only_english_sent_to_a_family_that_reads_another_language(world: World) -> None:
    type(world.mateo).objects.filter(pk=world.mateo.pk).update(home_language="es")
    delivery(world, world.rosa, "sms", "sent", content="en")  # Rosa reads Spanish; English went out
    item = _reason(world, world.mateo)
    assert item.reason == reasons.ENGLISH_ONLY
    assert item.tries[0].code == reasons.INTERPRETER_CALL and item.tries[0].method == "interpreter"


def test_reason_messages_not_opened(world: World) -> None:
    type(world.mateo).objects.filter(pk=world.mateo.pk).update(home_language="es")
    delivery(world, world.rosa, "portal", "delivered", content="es")
    delivery(world, world.rosa, "email", "bounced", content="es")
    item = _reason(world, world.mateo)
    assert item.reason == reasons.NOT_OPENED


def test_another_guardian_with_rights_is_suggested(world: World) -> None:
    other = f.GuardianFactory(district=world.district, given_name="Marta", language="es")
    f.StudentGuardianFactory(student=world.liam, guardian=other)
    item = _reason(world, world.liam)
    assert any(t.code == reasons.OTHER_GUARDIAN and t.guardian_id == other.pk for t in item.tries)


def test_a_suggestion_opens_the_contact_form_prefilled(world: World, client_for: Any) -> None:
    type(world.mateo).objects.filter(pk=world.mateo.pk).update(home_language="es")
    refresh.refresh(full=True)
    page = client_for("principal").get(reverse("reach:school", args=[world.lincoln.pk])).content.decode()
    link = (f"{reverse('contacts:log_create')}?student={world.mateo.pk}&amp;guardian={world.rosa.pk}"
            "&amp;method=interpreter")
    assert link in page
    form = client_for("principal").get(link.replace("&amp;", "&"))
    assert form.status_code == 200
    assert form.context["form"].initial["method"] == "interpreter"
    assert form.context["form"].initial["interpreter_used"] is True


# -- Small-cell suppression, breakdowns, trend ----------------------------------------------------------------------

def _school_of(world: World, count: int, *, language: str = "en", reached: int = 0) -> Any:
    school = f.SchoolFactory(district=world.district, name=f"School of {count}")
    for index in range(count):
        student = f.StudentFactory(district=world.district, school=school, home_language=language, grade="03")
        guardian = f.GuardianFactory(district=world.district, language=language)
        f.StudentGuardianFactory(student=student, guardian=guardian)
        if index < reached:
            delivery(world, guardian, "sms", "delivered")
    return school


def test_groups_of_9_families_are_suppressed_and_10_are_shown(world: World, client_for: Any) -> None:
    nine = _school_of(world, 9, reached=4)
    ten = _school_of(world, 10, reached=4)
    refresh.refresh(full=True)
    admin = world.user("admin")
    small = selectors.page(admin, school=nine)
    assert small.overall.suppressed and small.overall.percent is None
    assert all(g.suppressed for b in small.breakdowns for g in b.groups)
    shown = selectors.page(admin, school=ten)
    assert not shown.overall.suppressed and shown.overall.percent == 40.0
    grade = next(b for b in shown.breakdowns if b.key == "grade")
    assert [(g.label, g.families, g.reached, g.percent) for g in grade.groups] == [("Grade 3", 10, 4, 40.0)]
    html = client_for("admin").get(reverse("reach:school", args=[nine.pk])).content.decode()
    assert "Not shown: fewer than 10 families" in html and "4 of 9" not in html
    assert "a group of fewer than 10 families shows no figures" in html
    html = client_for("admin").get(reverse("reach:school", args=[ten.pk])).content.decode()
    assert "4 of 10 families (40.0%)" in html


def test_breakdown_by_language_and_the_gap_between_groups(world: World) -> None:
    school = f.SchoolFactory(district=world.district, name="Mixed")
    for language, reached in (("es", 9), ("ht", 3)):
        for index in range(10):
            student = f.StudentFactory(district=world.district, school=school, home_language=language)
            guardian = f.GuardianFactory(district=world.district, language=language)
            f.StudentGuardianFactory(student=student, guardian=guardian)
            if index < reached:
                delivery(world, guardian, "sms", "delivered", content=language)
    refresh.refresh(full=True)
    page = selectors.page(world.user("admin"), school=school)
    languages = next(b for b in page.breakdowns if b.key == "language")
    assert {(g.families, g.reached) for g in languages.groups} == {(10, 9), (10, 3)}
    best, least, points = languages.gap  # type: ignore[misc]
    assert (best.percent, least.percent, points) == (90.0, 30.0, 60.0)


def test_district_page_breaks_down_by_school_and_restricted_groups_only_for_restricted_roles(world: World) -> None:
    refresh.refresh(full=True)
    keys = [b.key for b in selectors.page(world.user("admin"), school=None).breakdowns]
    assert {"language", "grade", "school", "english_learner", "special_education", "free_reduced_meals",
            "race"} <= set(keys)
    school_staff = f.StaffFactory(district=world.district, user=f.UserFactory(email="clerk@riverside.example"))
    f.StaffRoleFactory(staff=school_staff, role="staff", school=world.lincoln)
    keys = [b.key for b in selectors.page(school_staff.user, school=world.lincoln).breakdowns]
    assert "race" not in keys and "free_reduced_meals" not in keys and "english_learner" in keys


def test_race_group_follows_federal_reporting() -> None:
    assert refresh.race_group(["white", "hispanicOrLatinoEthnicity"]) == "hispanic"
    assert refresh.race_group(["white", "asian"]) == "two_or_more"
    assert refresh.race_group(["blackOrAfricanAmerican"]) == "black"
    assert refresh.race_group([]) == ""


def test_trend_counts_families_reached_in_each_month(world: World) -> None:
    school = _school_of(world, 10, reached=0)
    guardians = list(f.StudentGuardianFactory._meta.model.objects.filter(student__school=school)
                     .values_list("guardian", flat=True))
    from homeroom.roster.models import Guardian

    for guardian in Guardian.objects.filter(pk__in=guardians[:5]):
        delivery(world, guardian, "sms", "delivered", days_ago=0)
        contact(world, students=[], guardians=[guardian], days_ago=0)  # twice in a month is one family
    refresh.refresh(full=True)
    trend = selectors.page(world.user("admin"), school=school).trend
    assert len(trend) == 12
    assert (trend[-1].families, trend[-1].reached, trend[-1].percent) == (10, 5, 50.0)
    assert trend[-1].label == timezone.localtime().strftime("%b %Y")
    assert selectors.page(world.user("admin"), school=school, two_way=True).trend[-1].reached == 5


# -- Incremental refresh ---------------------------------------------------------------------------------------

def test_incremental_refresh_picks_up_a_new_delivery_and_only_that_family(world: World) -> None:
    refresh.refresh(full=True)
    assert row_of(world.liam).last_reached_at is None
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)  # the world's roster was written before the last refresh
    type(world.liam).objects.update(updated_at=an_hour_ago)
    type(world.paul).objects.update(updated_at=an_hour_ago)
    delivery(world, world.paul, "sms", "delivered", days_ago=0)
    done = refresh.refresh()
    assert not done.full and done.families == 1
    assert recent(row_of(world.liam).last_reached_at)
    assert ReachMonthCount.objects.filter(school=world.washington).values_list("reached", flat=True).get() == 1


def test_incremental_refresh_picks_up_a_status_change(world: World) -> None:
    row = delivery(world, world.paul, "sms", "sent", days_ago=0)
    refresh.refresh(full=True)
    assert row_of(world.liam).last_reached_at is None
    from homeroom.messaging.engine import outcomes as status

    assert status.delivery_transition(delivery_id=row.pk, state="delivered")
    refresh.refresh()
    assert recent(row_of(world.liam).last_reached_at)


def test_incremental_refresh_picks_up_a_logged_contact_and_its_correction(world: World) -> None:
    refresh.refresh(full=True)
    log = contact(world, students=[world.liam], guardians=[world.paul])
    refresh.refresh()
    assert recent(row_of(world.liam).last_two_way_at)
    log.outcome = "no_answer"
    log.save()  # a correction: the contact did not reach them after all
    refresh.refresh()
    assert row_of(world.liam).last_two_way_at is None
    assert not FamilyReachMonth.objects.filter(student=world.liam).exists()


def test_incremental_refresh_picks_up_a_reply_and_a_new_student(world: World) -> None:
    refresh.refresh(full=True)
    reply(world, world.paul, channel="email")
    newcomer = f.StudentFactory(district=world.district, school=world.lincoln)
    refresh.refresh()
    assert recent(row_of(world.liam).last_reached_at)
    assert FamilyReach.objects.filter(student=newcomer).exists()


def test_the_page_refreshes_a_stale_summary(world: World, client_for: Any) -> None:
    assert not FamilyReach.objects.exists()
    response = client_for("principal").get(reverse("reach:school", args=[world.lincoln.pk]))
    assert response.status_code == 200
    assert FamilyReach.objects.filter(student=world.sofia).exists()  # tests run tasks at once


# -- The list, paging, access log, CSV -------------------------------------------------------------------------

def test_list_pages_with_load_more_and_logs_access(world: World, client_for: Any) -> None:
    school = _school_of(world, 30)
    refresh.refresh(full=True)
    client = client_for("admin")
    url = reverse("reach:school", args=[school.pk])
    first = client.get(url)
    assert "Load more families" in first.content.decode() and 'href="?page=2"' in first.content.decode()
    assert AccessLog.objects.filter(action="reach_list").count() == 25
    more = client.get(url, {"page": "2"}, HTTP_HX_REQUEST="true")
    assert more.templates[0].name == "reach/_rows.html"
    assert more.content.decode().count("<tr>") == 5
    plain = client.get(url, {"page": "2"})  # without JavaScript the link opens the next page
    assert plain.templates[0].name == "reach/page.html"


def test_csv_export_streams_every_family_with_safe_cells(world: World, client_for: Any) -> None:
    type(world.liam).objects.filter(pk=world.liam.pk).update(given_name="=HYPERLINK(1)")
    refresh.refresh(full=True)
    response = client_for("admin").get(reverse("reach:district_csv"))
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["School", "Student", "Grade"]
    assert len(rows) == 1 + 3  # Sofia, Mateo, Liam: nobody reached
    liam = next(r for r in rows if "HYPERLINK" in r[1])
    assert liam[1].startswith("'=") and liam[7] == "No contact attempted"
    assert AccessLog.objects.filter(action="reach_export").count() == 3


def test_principal_csv_holds_only_their_school(world: World, client_for: Any) -> None:
    refresh.refresh(full=True)
    response = client_for("principal").get(reverse("reach:school_csv", args=[world.lincoln.pk]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Sofia" in body and "Liam" not in body


def test_staff_page_in_spanish(world: World, client_for: Any) -> None:
    user = world.user("principal")
    user.language = "es"
    user.save()
    html = client_for("principal").get(reverse("reach:school", args=[world.lincoln.pk])).content.decode()
    assert "Familias contactadas" in html and "Solo en ambos sentidos" in html


def test_the_figures_are_counted_once_per_watermark(world: World, client_for: Any) -> None:
    """The page reads its breakdowns from the cache until a refresh moves the watermark; then it counts again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contact(world, students=[world.liam], guardians=[world.paul])
    refresh.refresh(full=True)
    client = client_for("admin")
    url = reverse("reach:district")

    def figures() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).context["page"]
        grouped = sum("COUNT(" in q["sql"] and "reach_familyreach" in q["sql"] for q in queries.captured_queries)
        return f"{page.overall.families}/{page.overall.reached}", grouped

    first, counted = figures()
    assert counted >= 1
    FamilyReach.objects.filter(student=world.liam).update(last_reached_at=None)  # not through a refresh
    again, counted = figures()
    assert (again, counted) == (first, 0)  # the cached figures, no count over the families
    refresh.refresh(full=True)  # the refresh recomputes Liam's family (reached) and moves the watermark
    FamilyReach.objects.filter(student=world.liam).update(last_reached_at=None)
    after, counted = figures()
    assert counted >= 1 and after != first


def test_each_language_is_one_group_however_the_roster_spells_it(world: World) -> None:
    """'en', 'en-US', 'eng' and 'English' are one "English" group (no two English rows), on the page and the
    district's public figures; 'es-MX' counts with 'es'."""
    school = f.SchoolFactory(district=world.district, name="Spellings")
    spellings = [("en", True), ("en-US", True), ("eng", False), ("English", False), ("EN_us", True)] * 2
    spellings += [("es", True), ("es-MX", False)] * 5
    for language, reached in spellings:
        student = f.StudentFactory(district=world.district, school=school, home_language=language)
        guardian = f.GuardianFactory(district=world.district, language=language)
        f.StudentGuardianFactory(student=student, guardian=guardian)
        if reached:
            delivery(world, guardian, "sms", "delivered")
    refresh.refresh(full=True)
    page = selectors.page(world.user("admin"), school=school)
    languages = next(b for b in page.breakdowns if b.key == "language")
    assert sorted((g.label, g.families, g.reached) for g in languages.groups) == [
        ("English", 10, 6), ("Spanish", 10, 5)]
    published = selectors.published_counts(district_id=world.district.pk, school_id=school.pk)
    assert {code: (g.families, g.reached) for code, g in published["language"].items()} == {
        "en": (10, 6), "es": (10, 5)}
