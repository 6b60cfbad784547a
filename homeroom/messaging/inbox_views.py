"""Staff inbox: conversations with families, unread counts, and replies."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from homeroom.core import scoping
from homeroom.messaging import selectors, services
from homeroom.messaging.conversations import conversation_read_by
from homeroom.messaging.forms import ReplyForm


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    everything = request.GET.get("show") == "all"
    inbox = selectors.staff_inbox_for(request.user) if everything else selectors.staff_own_inbox_for(request.user)
    conversations = inbox.order_by("-last_entry_at", "-id")[:200]
    return render(request, "messaging/inbox.html", {"conversations": conversations, "everything": everything})


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
