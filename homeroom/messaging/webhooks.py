"""Provider callbacks: Twilio inbound texts and status callbacks (signed), anymail email tracking events."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from homeroom.messaging import status
from homeroom.messaging.inbound import sms_inbound
from homeroom.messaging.models import DeliveryState
from homeroom.messaging.providers.twilio import PERMANENT_CODES

logger = logging.getLogger(__name__)
S = DeliveryState
TWILIO_STATES = {
    "delivered": S.DELIVERED,
    "completed": S.DELIVERED,  # a call that was answered
    "read": S.READ,
    "undelivered": S.FAILED,
    "failed": S.FAILED,
    "busy": S.FAILED,
    "no-answer": S.FAILED,
    "canceled": S.FAILED,
}


def _signed_by_twilio(request: HttpRequest) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    token = settings.TWILIO_AUTH_TOKEN
    if not signature or not token:
        return False
    # Twilio signs the public URL it called, which behind a proxy is not the one Django sees.
    url = settings.MESSAGING_WEBHOOK_BASE_URL.rstrip("/") + request.get_full_path()
    return bool(RequestValidator(token).validate(url, request.POST.dict(), signature))


def _twiml(text: str) -> HttpResponse:
    response = MessagingResponse()
    if text:
        response.message(text)
    return HttpResponse(str(response), content_type="application/xml")


@csrf_exempt
@require_POST
def twilio_inbound_sms(request: HttpRequest) -> HttpResponse:
    if not _signed_by_twilio(request):
        return HttpResponseForbidden()
    result = sms_inbound(from_number=request.POST.get("From", ""), body=request.POST.get("Body", ""))
    return _twiml(result.reply)


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not _signed_by_twilio(request):
        return HttpResponseForbidden()
    raw = (request.POST.get("MessageStatus") or request.POST.get("CallStatus") or "").lower()
    state = TWILIO_STATES.get(raw)
    sid = request.POST.get("MessageSid") or request.POST.get("CallSid") or ""
    delivery = status.delivery_find(key=request.GET.get("d", ""), provider_id=sid)
    if state is None or delivery is None:
        return HttpResponse(status=204)  # interim states (queued, sent, ringing) and unknown messages
    code = request.POST.get("ErrorCode", "")
    error = f"Twilio {code}" if code else raw
    changed = status.delivery_transition(delivery_id=delivery.pk, state=state, error=error if state == S.FAILED else "")
    permanent = code.isdigit() and int(code) in PERMANENT_CODES
    if changed and state == S.FAILED and (permanent or delivery.channel == "voice"):
        status.delivery_failed_permanently(delivery_id=delivery.pk, reason=error)
    return HttpResponse(status=204)


def on_anymail_tracking(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail's tracking signal: delivered/opened update the delivery; bounces and complaints suppress."""
    key = (event.metadata or {}).get("delivery", "") if getattr(event, "metadata", None) else ""
    delivery = status.delivery_find(key=key, provider_id=event.message_id or "")
    kind = event.event_type
    if kind in {"bounced", "rejected", "complained", "unsubscribed"} and event.recipient:
        status.suppression_add(address=event.recipient, reason=kind, detail=str(event.description or ""))
    if delivery is None:
        return
    if kind == "delivered":
        status.delivery_transition(delivery_id=delivery.pk, state=S.DELIVERED)
    elif kind in {"opened", "clicked"}:
        status.delivery_transition(delivery_id=delivery.pk, state=S.READ)
    elif kind in {"bounced", "rejected"}:
        if status.delivery_transition(delivery_id=delivery.pk, state=S.BOUNCED, error=str(event.description or kind)):
            status.delivery_failed_permanently(delivery_id=delivery.pk, reason=kind)
    elif kind == "failed":
        status.delivery_transition(delivery_id=delivery.pk, state=S.FAILED, error=str(event.description or kind))


def _esp_views() -> dict[str, Any]:
    from anymail.webhooks.amazon_ses import AmazonSESTrackingWebhookView
    from anymail.webhooks.mailgun import MailgunTrackingWebhookView
    from anymail.webhooks.postmark import PostmarkTrackingWebhookView
    from anymail.webhooks.sendgrid import SendGridTrackingWebhookView

    return {
        "postmark": PostmarkTrackingWebhookView,
        "sendgrid": SendGridTrackingWebhookView,
        "mailgun": MailgunTrackingWebhookView,
        "ses": AmazonSESTrackingWebhookView,
    }


@csrf_exempt
def email_tracking(request: HttpRequest, esp: str) -> HttpResponse:
    """anymail's tracking webhook for one ESP, refused outright unless a webhook secret is configured.

    (anymail itself only warns when no secret is set, and would then accept anyone's events.)
    """
    from django.core.exceptions import ImproperlyConfigured

    view_class = _esp_views().get(esp)
    if view_class is None or not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return HttpResponseForbidden()
    try:
        view = view_class.as_view()
        response: HttpResponse = view(request)
    except ImproperlyConfigured:
        return HttpResponseForbidden()
    return response
