"""Staff inbox: conversations with families, unread counts, and replies."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from homeroom.access import scoping
from homeroom.core import paging
from homeroom.messaging import selectors, services
from homeroom.messaging.compose.forms import ReplyForm
from homeroom.messaging.conversations.threads import conversation_read_by

INBOX_PAGE = 50  # conversations per page; "Load more" appends the next


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    everything = request.GET.get("show") == "all"
    inbox = selectors.staff_inbox_for(request.user) if everything else selectors.staff_own_inbox_for(request.user)
    page = paging.page_number(request)
    start = (page - 1) * INBOX_PAGE
    conversations = list(inbox.order_by("-last_entry_at", "-id")[start:start + INBOX_PAGE + 1])
    more = paging.next_page_query(request, page) if len(conversations) > INBOX_PAGE else None
    context = {"conversations": conversations[:INBOX_PAGE], "more": more, "page": page, "everything": everything}
    if request.htmx and page > 1:  # type: ignore[attr-defined]
        return render(request, "messaging/_inbox_rows.html", context)
    return render(request, "messaging/inbox.html", context)


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    thread = selectors.conversation_for(request.user, pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.conversation_reply(conversation=thread, author_user=request.user, body=form.cleaned_data["body"])
        return redirect("messaging:conversation", pk=thread.pk)
    services.conversation_mark_read(conversation=thread, by_guardian=False)
    conversation_read_by(conversation=thread, user=request.user)
    return render(
        request,
        "messaging/conversation.html",
        {"conversation": thread, "entries": selectors.conversation_entries(thread), "form": form},
    )
