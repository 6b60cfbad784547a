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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.core import paging
from homeroom.languages import views as language_access
from homeroom.languages.providers import get_translator
from homeroom.messaging import outbox as dev_outbox
from homeroom.messaging import selectors, services
from homeroom.messaging.channels import TransportError
from homeroom.messaging.compose.forms import ComposeForm, ReviewForm
from homeroom.messaging.compose.saved_lists import saved_lists_for
from homeroom.messaging.family_link import family_students
from homeroom.messaging.models import AudienceKind, Category, Message, MessageContent
from homeroom.messaging.providers import phone_provider_name

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
    if request.method == "POST" and "open_family" in request.POST:
        # "Message this family" (a student's, guardian's or household's page) posts here to open the form
        # prefilled with that family; the family travels in the body, never in a URL.
        token = request.POST.get("family", "")
        initial = {"audience_kind": AudienceKind.FAMILY, "family": token} if family_students(
            request.user, token) else {}
        return render(request, "messaging/compose.html", {"form": ComposeForm(user=request.user, initial=initial)})
    form = ComposeForm(request.POST or None, user=request.user, initial=_compose_initial(request))
    if request.method == "POST" and "check_languages" in request.POST:  # the audience by home language
        return render(request, "messaging/compose.html",
                      {"form": form, "language_check": language_access.compose_lines(request, form)})
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_create(
                user=request.user,
                category=form.cleaned_data["category"],
                audience=form.audience(),
                audience_label=form.audience_label(),
                callback_name=form.cleaned_data["callback_name"],
                callback_phone=form.cleaned_data["callback_phone"],
                contents=form.contents(),
                scheduled_for=form.cleaned_data.get("scheduled_for"),
            )
        except services.MessageError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("messaging:preview", pk=message.pk)
    return render(request, "messaging/compose.html", {"form": form})


def _compose_initial(request: HttpRequest) -> dict[str, Any]:
    """`?list=<id>` (the "Message this list" link) starts the form on that saved list, if it is the user's."""
    raw = request.GET.get("list", "")
    if not raw.isdigit():
        return {}
    if not saved_lists_for(request.user).filter(pk=int(raw)).exists():
        return {}
    return {"audience_kind": AudienceKind.LIST, "lists": [int(raw)]}


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    return _preview_page(request, _message(request, pk))


def _preview_page(request: HttpRequest, message: Message, *, send_error: str = "") -> HttpResponse:
    """The preview; after a refused send, with the reason beside the send button (`send_error`)."""
    languages = language_access.preview_context(message, request.user)  # first: it may add machine translations
    plan = None
    problem = ""
    if message.status == Message.Status.DRAFT:
        try:
            plan = services.message_preview(message=message, user=request.user)
        except ValueError as exc:
            problem = str(exc)
    contents = list(message.contents.order_by("language"))
    return render(
        request,
        "messaging/preview.html",
        {
            "message": message,
            "plan": plan,
            "breakdown": selectors.plan_breakdown(plan) if plan else None,
            "problem": problem,
            "contents": contents,
            "translator": get_translator() is not None,
            "needs_review": [c for c in contents if c.machine_translated],
            "phone_provider": phone_provider_name(),
            **languages,
            "send_error": send_error,
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
        return _preview_page(request, message, send_error=str(exc))
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
    key = selectors.report_key(message)  # the whole audience's figures are counted once per delivery change
    if request.htmx and page > 1:  # type: ignore[attr-defined]
        rows, more = selectors.not_reached_page(message, limit=NOT_REACHED_PAGE, offset=offset, key=key)
        return render(request, "messaging/_not_reached_rows.html",
                      {"rows": rows, "more": paging.next_page_query(request, page) if more else None})
    report = selectors.message_report(message, not_reached_limit=NOT_REACHED_PAGE, not_reached_offset=offset,
                                      key=key)
    return render(request, "messaging/report.html", {
        "message": message, "report": report, "contents": message.contents.all(), "page": page,
        "rows": report.not_reached, "more": paging.next_page_query(request, page) if report.not_reached_more else None,
        **language_access.report_context(message, figures=selectors.report_figures(message, key=key)),
    })


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
