"""Staff pages: messages, compose → preview → send, report (+CSV), machine-translation review, dev outbox."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.core import paging
from homeroom.languages import views as language_access
from homeroom.languages.providers import get_translator
from homeroom.messaging import outbox as dev_outbox
from homeroom.messaging import selectors, services
from homeroom.messaging.channels import TransportError
from homeroom.messaging.compose import picker
from homeroom.messaging.compose.drafts import (
    FAMILY_TOKEN_KEY,
    call_script,
    draft_initial,
    sms_counter,
    start_key_open,
    text_counters,
)
from homeroom.messaging.compose.forms import ComposeForm, ReviewForm
from homeroom.messaging.compose.picker import choice_for_key
from homeroom.messaging.compose.progress import message_progress
from homeroom.messaging.compose.readiness import send_readiness
from homeroom.messaging.compose.saved_lists import saved_lists_for
from homeroom.messaging.compose.staff_attachments import message_files_set
from homeroom.messaging.compose.when_words import district_zone, when_in_words
from homeroom.messaging.family_link import family_students
from homeroom.messaging.models import AudienceKind, Category, Message, MessageContent
from homeroom.messaging.providers import phone_provider_name
from homeroom.roster.models import District, Staff

NOT_REACHED_PAGE = 100  # family members per page of a report's not-reached list (the CSV has them all)


def _message(request: HttpRequest, pk: int) -> Message:
    message: Message = scoping.get_in_scope(selectors.messages_for(request.user), pk=pk)
    return message


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    # Answers to families live in their conversations (the inbox), not in this list.
    sent = selectors.messages_for(request.user).exclude(category=Category.REPLY)
    page = Paginator(sent.prefetch_related("contents"), 25).get_page(
        request.GET.get("page")
    )
    unread = selectors.staff_unread_count(request.user)
    return render(request, "messaging/message_list.html", {"page": page, "unread": unread})


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    zone = district_zone(_district(request))
    if request.method == "POST" and "open_family" in request.POST:
        # "Message this family" (a student's, guardian's or household's page) posts here to open the form
        # prefilled with that family; the family travels in the body, never in a URL.
        token = request.POST.get("family", "")
        initial = {"audience_kind": AudienceKind.FAMILY, "family": token, "category": Category.NEWS} if (
            family_students(request.user, token)) else _role_initial(request)
        return _compose_page(request, ComposeForm(user=request.user, initial=initial), zone=zone)
    if request.method == "POST" and "open_pick" in request.POST:
        # "Message this class" (a class's or a caseload's page): a signed picker key, checked again here.
        keys = [k for k in [start_key_open(request.POST.get("start", ""))] if k and choice_for_key(request.user, k)]
        initial = {"pick": keys, "category": Category.NEWS} if keys else _role_initial(request)
        return _compose_page(request, ComposeForm(user=request.user, initial=initial), zone=zone)
    with timezone.override(zone):  # "Send at" is typed on the district's clock
        form = ComposeForm(request.POST or None, request.FILES or None, user=request.user,
                           initial=_compose_initial(request))
        if request.method == "POST" and _picking(request):
            return _compose_page(request, _picked_form(request), zone=zone, picking=True)
        if request.method == "POST" and "check_languages" in request.POST:  # the audience by home language
            return _compose_page(request, form, zone=zone, language_check=language_access.compose_lines(request, form))
        if request.method == "POST" and form.is_valid():
            try:
                message = services.message_create(user=request.user, **_message_fields(form))
            except services.MessageError as exc:
                form.add_error(None, str(exc))
            else:
                message_files_set(message=message, kept=[], uploads=form.cleaned_data.get("attachments") or [])
                return redirect("messaging:preview", pk=message.pk)
    return _compose_page(request, form, zone=zone)


@login_required
@require_POST
def counter(request: HttpRequest) -> HttpResponse:
    """The text counters alone, for what is typed so far (htmx, while writing)."""
    scoping.require_staff(request.user)
    return render(request, "messaging/_text_counters.html", {"counters": text_counters(request.POST)})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft back in the compose form after its preview; saving it returns to the preview."""
    scoping.require_staff(request.user)
    message = _message(request, pk)
    if message.status != Message.Status.DRAFT:
        flash.error(request, _("This message has already been sent or scheduled."))
        return redirect("messaging:report", pk=message.pk)
    zone = district_zone(message.district)
    with timezone.override(zone):
        initial = draft_initial(message, zone=zone)
        form = ComposeForm(request.POST or None, request.FILES or None, user=request.user, initial=initial,
                           kept_files=message.attachments)
        if request.method == "POST" and _picking(request):
            return _compose_page(request, _picked_form(request, kept_files=message.attachments), zone=zone,
                                 picking=True, message=message)
        if request.method == "POST" and "check_languages" in request.POST:
            return _compose_page(request, form, zone=zone, message=message,
                                 language_check=language_access.compose_lines(request, form))
        if request.method == "POST" and form.is_valid():
            try:
                services.message_update(message=message, user=request.user, **_message_fields(form))
            except services.MessageError as exc:
                form.add_error(None, str(exc))
            else:
                message_files_set(message=message, kept=form.files_kept(),
                                  uploads=form.cleaned_data.get("attachments") or [])
                return redirect("messaging:preview", pk=message.pk)
    return _compose_page(request, form, zone=zone, message=message)


def _message_fields(form: ComposeForm) -> dict[str, Any]:
    return {
        "category": form.cleaned_data["category"], "audience": form.audience(),
        "audience_label": form.audience_label(), "callback_name": form.cleaned_data["callback_name"],
        "callback_phone": form.cleaned_data["callback_phone"], "contents": form.contents(),
        "scheduled_for": form.cleaned_data.get("scheduled_for"),
    }


def _district(request: HttpRequest) -> Any:
    scope = scoping.scope_for(request.user)
    return District.objects.filter(pk__in=Staff.objects.filter(pk=scope.staff_id or 0).values("district_id")).first()


def _picking(request: HttpRequest) -> bool:
    return any(name in request.POST for name in ("add", "remove", "do_find"))


def _picked_form(request: HttpRequest, *, kept_files: list[str] | None = None) -> ComposeForm:
    """The form as posted, with a chip added or removed (or a search run): nothing is saved or checked yet."""
    data = request.POST.copy()
    picks = [k for k in data.getlist("pick") if k != data.get("remove")]
    if data.get("remove") == FAMILY_TOKEN_KEY:
        data["family"], data["audience_kind"] = "", ""
    added = str(data.get("add") or "")
    if added and added not in picks:
        picks.append(added)
    data.setlist("pick", picks)
    if picks and data.get("audience_kind") != AudienceKind.FAMILY:
        data["audience_kind"] = ""
    return ComposeForm(data, user=request.user, kept_files=kept_files)


def _compose_page(request: HttpRequest, form: ComposeForm, *, zone: Any, picking: bool = False,
                  message: Message | None = None, language_check: Any = None) -> HttpResponse:
    query = request.POST.get("find", "") if request.method == "POST" and "do_find" in request.POST else ""
    chosen = {c.key for c in form.chips}
    offered = [c for c in (picker.search(request.user, query) if query else picker.suggestions(request.user))
               if c.key not in chosen]
    return render(request, "messaging/compose.html", {
        "form": form, "message": message, "picking": picking, "searched": bool(query), "offered": offered,
        "zone": str(zone), "counters": text_counters(form.data if form.is_bound else form.initial),
        "language_check": language_check,
    })


def _role_initial(request: HttpRequest) -> dict[str, Any]:
    """A teacher starts on their classes and the News category; nobody starts on Urgent or the whole district."""
    return {"category": Category.NEWS, "pick": picker.role_default_keys(request.user)}


def _compose_initial(request: HttpRequest) -> dict[str, Any]:
    """`?list=<id>` (the "Message this list" link) starts the form on that saved list, if it is the user's."""
    raw = request.GET.get("list", "")
    if not raw.isdigit() or not saved_lists_for(request.user).filter(pk=int(raw)).exists():
        return _role_initial(request)
    return {"pick": [f"list:{int(raw)}"], "category": Category.NEWS}


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as families will get it; a POST carries the languages the sender agreed to send another language."""
    scoping.require_staff(request.user)
    return _preview_page(request, _message(request, pk), acknowledged=request.POST.getlist("send_anyway"))


def _preview_page(request: HttpRequest, message: Message, *, send_error: str = "",
                  acknowledged: list[str] | None = None) -> HttpResponse:
    """The preview: every refusal the send would give is listed before Send is enabled (`send_error`: a send
    refused anyway, say because the audience changed since)."""
    languages = language_access.preview_context(message, request.user)  # first: it may add machine translations
    plan = None
    problem = ""
    if message.status == Message.Status.DRAFT:
        try:
            plan = services.message_preview(message=message, user=request.user)
        except ValueError as exc:
            problem = str(exc)
    readiness = send_readiness(message, user=request.user, plan_problem=problem,
                               acknowledged=acknowledged or request.POST.getlist("send_anyway") or [])
    contents = list(message.contents.select_related("auto_translation").order_by("language"))
    zone = district_zone(message.district)
    return render(
        request,
        "messaging/preview.html",
        {
            "message": message,
            "plan": plan,
            "breakdown": selectors.plan_breakdown(plan) if plan else None,
            "problem": problem,
            "readiness": readiness,
            "versions": [{"content": c, "counters": [sms_counter(message, c)], "script": call_script(message, c)}
                         for c in contents],
            "contents": contents,
            "send_at": when_in_words(message.scheduled_for, now=timezone.now(), zone=zone)
            if message.scheduled_for else "",
            "zone": str(zone),
            "translator": get_translator() is not None,
            "needs_review": [c for c in contents if c.machine_translated],
            "phone_provider": phone_provider_name(),
            **languages,
            "send_error": send_error if send_error != readiness.language_refusal else "",
        },
    )


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    message = _message(request, pk)
    try:
        message = services.message_send(message=message, user=request.user,
                                        acknowledged=request.POST.getlist("send_anyway"))
    except services.LanguageAccessRefused as exc:  # shown on the form, beside the boxes to tick
        return _preview_page(request, message, send_error=str(exc),
                             acknowledged=request.POST.getlist("send_anyway"))
    except (services.MessageError, ValueError) as exc:
        flash.error(request, str(exc))
        return redirect("messaging:preview", pk=message.pk)
    if message.status == Message.Status.SCHEDULED:
        flash.success(request, _("The message is scheduled."))
    else:
        flash.success(request, _("The message is on its way."))
    return redirect("messaging:report", pk=message.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    message = _message(request, pk)
    if services.message_cancel(message=message):
        flash.success(request, _("The message was cancelled."))
    return redirect("messaging:report", pk=message.pk)


@login_required
@require_POST
def translate(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    message = _message(request, pk)
    target = request.POST.get("target", "es")[:35]
    try:
        services.message_prefill_translation(message=message, source=request.POST.get("source", "en")[:35],
                                             target=target)
    except (services.MessageError, TransportError, MessageContent.DoesNotExist) as exc:
        flash.error(request, _("Could not translate: %(error)s") % {"error": exc})
    return redirect("messaging:preview", pk=message.pk)


@login_required
def review(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    scoping.require_staff(request.user)
    message = _message(request, pk)
    content = scoping.get_in_scope(message.contents.all(), language=language)
    form = ReviewForm(request.POST or None, initial={"subject": content.subject, "body": content.body})
    if request.method == "POST" and form.is_valid() and message.status == Message.Status.DRAFT:
        services.message_set_content(
            message=message,
            content=services.ContentInput(language=language, subject=form.cleaned_data["subject"],
                                          body=form.cleaned_data["body"]),
        )
        return redirect("messaging:preview", pk=message.pk)
    return render(request, "messaging/review.html", {"message": message, "content": content, "form": form})


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    message = _message(request, pk)
    page = paging.page_number(request)
    offset = (page - 1) * NOT_REACHED_PAGE
    states = selectors.state_counts(message)
    key = selectors.report_key(message, states)  # the whole audience's figures are counted once per delivery change
    if request.htmx and page > 1:  # type: ignore[attr-defined]
        rows, more = selectors.not_reached_page(message, limit=NOT_REACHED_PAGE, offset=offset, key=key)
        return render(request, "messaging/_not_reached_rows.html",
                      {"rows": rows, "more": paging.next_page_query(request, page) if more else None})
    report = selectors.message_report(message, not_reached_limit=NOT_REACHED_PAGE, not_reached_offset=offset,
                                      key=key)
    return render(request, "messaging/report.html", {
        "message": message, "report": report, "contents": message.contents.all(), "page": page,
        "progress": message_progress(message, states),
        "rows": report.not_reached, "more": paging.next_page_query(request, page) if report.not_reached_more else None,
        **language_access.report_context(message, figures=selectors.report_figures(message, key=key)),
    })


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The live progress bar alone (htmx polls it every few seconds while the send runs)."""
    scoping.require_staff(request.user)
    message = _message(request, pk)
    return render(request, "messaging/_send_progress.html", {"message": message, "progress": message_progress(message)})


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def report_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    scoping.require_staff(request.user)
    message = _message(request, pk)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in selectors.message_export_rows(message))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="message-{message.pk}.csv"'
    return response


def outbox(request: HttpRequest) -> HttpResponse:
    """What the dev providers would have sent, by channel: in DEBUG only, for district administrators (their
    district's) and superusers; sign-in messages only for the person they were sent to."""
    if not settings.DEBUG:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not dev_outbox.may_see_outbox(request.user):
        raise PermissionDenied
    channel = request.GET.get("channel", "")
    page = Paginator(dev_outbox.outbox_for(request.user, channel), 50).get_page(request.GET.get("page"))
    return render(request, "messaging/outbox.html", {"page": page, "channel": channel})
