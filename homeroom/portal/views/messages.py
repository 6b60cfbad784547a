"""The family's messages inbox: two-way conversations with the school, over the messaging app's services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.core import paging
from homeroom.messaging import family_start
from homeroom.messaging import selectors as messaging_selectors
from homeroom.messaging import services as messaging_services
from homeroom.messaging.conversations.attachment_views import attachment_response
from homeroom.messaging.conversations.attachments import attachments_store
from homeroom.portal.forms import ConversationStartForm, ReplyForm
from homeroom.roster.models import Guardian

INBOX_PAGE = 25  # messages per page of the family's inbox; "Load more" appends the next


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    scoping.require_guardian(request.user)
    page = paging.page_number(request)
    start = (page - 1) * INBOX_PAGE
    # The newest first: one more than this page tells whether a next page exists.
    items = messaging_selectors.portal_inbox_items(request.user, limit=start + INBOX_PAGE + 1)[start:]
    more = paging.next_page_query(request, page) if len(items) > INBOX_PAGE else None
    context = {"items": items[:INBOX_PAGE], "more": more, "page": page}
    if request.htmx and page > 1:  # type: ignore[attr-defined]
        return render(request, "portal/_inbox_items.html", context)
    return render(request, "portal/inbox.html", context)


@login_required
def conversation_start(request: HttpRequest) -> HttpResponse:
    """Write to a child's teacher or case manager (only staff tied to a child the family has rights for)."""
    scope = scoping.require_guardian(request.user)
    guardian = Guardian.objects.get(pk=scope.guardian_id or 0)
    recipients = family_start.recipients_for(guardian)
    form = ConversationStartForm(request.POST or None, recipients=recipients)
    if request.method == "POST" and form.is_valid():
        entry = family_start.conversation_start(
            guardian=guardian, body=form.cleaned_data["body"], subject=form.cleaned_data["subject"],
            channel="portal", recipient=form.chosen(), author_user=request.user,
        )
        messages.success(request, _("Your message is sent."))
        return redirect("portal:conversation", pk=entry.conversation_id)
    return render(request, "portal/conversation_start.html", {"form": form, "recipients": recipients})


@login_required
def message(request: HttpRequest, pk: int) -> HttpResponse:
    """A message that reached the family by text, email or call, opened in the portal as a thread."""
    scoping.require_guardian(request.user)
    delivery = messaging_selectors.portal_copy_for(request.user, pk)
    thread = messaging_services.conversation_for_delivery(delivery)
    return redirect("portal:conversation", pk=thread.pk)


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_guardian(request.user)
    # Only the family's own threads: a guardian who is also staff still reads staff threads in the staff inbox.
    thread = scoping.get_in_scope(messaging_selectors.portal_inbox_for(request.user), pk=pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        stored = attachments_store(conversation_id=thread.pk, files=form.cleaned_data["attachments"])
        messaging_services.conversation_reply(
            conversation=thread, author_user=request.user, body=form.cleaned_data["body"], attachments=stored
        )
        messages.success(request, _("Your reply is sent."))
        return redirect("portal:conversation", pk=pk)
    messaging_services.conversation_mark_read(conversation=thread, by_guardian=True)
    entries = messaging_selectors.conversation_entries(thread)
    return render(request, "portal/conversation.html", {"conversation": thread, "entries": entries, "form": form})


@login_required
def attachment(request: HttpRequest, pk: int, entry_pk: int, index: int) -> FileResponse:
    scoping.require_guardian(request.user)
    thread = scoping.get_in_scope(messaging_selectors.portal_inbox_for(request.user), pk=pk)
    entry = scoping.get_in_scope(messaging_selectors.conversation_entries(thread), pk=entry_pk)
    return attachment_response(entry, index, conversation_id=thread.pk)
