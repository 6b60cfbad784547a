"""Provider callbacks: Twilio inbound texts and status callbacks (signed), anymail tracking and inbound email."""

from __future__ import annotations

import base64
import logging
from email import policy as email_policy
from email.parser import BytesParser
from typing import Any

from anymail.signals import inbound as inbound_signal
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from homeroom.messaging.conversations.inbound import sms_inbound
from homeroom.messaging.conversations.replies import email_reply_receive
from homeroom.messaging.engine import outcomes as status
from homeroom.messaging.engine import tasks
from homeroom.messaging.models import DeliveryState
from homeroom.messaging.providers.twilio_errors import counts_against_number
from homeroom.roster import reachability

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
# A busy line, a call nobody answered, a call cancelled before it was: the attempt failed, but nothing says the
# number is wrong, so none of these marks it bad (and starts the fallback), whatever code comes with them.
CALL_NOT_ANSWERED = {"busy", "no-answer", "canceled"}
CALL_RETRIED = {"busy", "no-answer"}  # called again later (status.call_retry); a cancelled call was ours to stop


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
    from_number = request.POST.get("From", "").strip()
    if not from_number:
        # Signed but without a sender: never guess who it was (an empty number matches every guardian without one).
        return HttpResponseBadRequest()
    result = sms_inbound(from_number=from_number, body=request.POST.get("Body", ""),
                         message_sid=request.POST.get("MessageSid", ""))
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
    changed = status.delivery_transition(
        delivery_id=delivery.pk, state=state, error=error if state == S.FAILED else "", provider_id=sid
    )
    if changed and state == S.FAILED and _bad_number(raw, code):
        tasks.queue(status.run_for(status.delivery_failed_permanently(delivery_id=delivery.pk, reason=error)))
    elif changed and raw in CALL_RETRIED:
        tasks.queue(status.run_for(status.call_retry(delivery_id=delivery.pk)))
    return HttpResponse(status=204)


def _bad_number(raw_status: str, code: str) -> bool:
    """Only a failure whose error code says the number itself is wrong marks it bad (and falls back)."""
    return raw_status not in CALL_NOT_ANSWERED and counts_against_number(code)


def on_anymail_tracking(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail's tracking signal: delivered/opened update the delivery; bounces and complaints suppress."""
    key = (event.metadata or {}).get("delivery", "") if getattr(event, "metadata", None) else ""
    delivery = status.delivery_find(key=key, provider_id=event.message_id or "")
    kind = event.event_type
    if kind in {"bounced", "rejected", "complained", "unsubscribed"} and event.recipient:
        status.suppression_add(address=event.recipient, reason=kind, detail=str(event.description or ""))
    if kind == "unsubscribed" and event.recipient:
        reachability.email_unsubscribed(address=event.recipient)
    if delivery is None:
        return
    if kind == "delivered":
        status.delivery_transition(delivery_id=delivery.pk, state=S.DELIVERED)
    elif kind in {"opened", "clicked"}:
        status.delivery_transition(delivery_id=delivery.pk, state=S.READ)
    elif kind in {"bounced", "rejected"}:
        if status.delivery_transition(delivery_id=delivery.pk, state=S.BOUNCED, error=str(event.description or kind)):
            tasks.queue(status.run_for(status.delivery_failed_permanently(delivery_id=delivery.pk, reason=kind)))
    elif kind == "failed":
        status.delivery_transition(delivery_id=delivery.pk, state=S.FAILED, error=str(event.description or kind))


def on_anymail_inbound(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail's inbound signal: a family's email reply, threaded by the token in the address it was sent to."""
    message = event.message
    recipient = getattr(message, "envelope_recipient", None)
    email_reply_receive(message=message, recipients=[recipient] if recipient else [])


# Connected here rather than in AppConfig.ready: ready() imports this module, and so does the URLconf.
inbound_signal.connect(on_anymail_inbound, dispatch_uid="homeroom-messaging-inbound")


class UnreadableWebhookBody(Exception):
    """A signed webhook whose body is not the JSON (or form) the ESP sends: answered 400, not 500."""


def _refusing_unreadable_bodies(view_class: Any) -> Any:
    """The ESP's view, with a body it cannot parse raised as UnreadableWebhookBody.

    Only parsing is wrapped: the credentials are checked before it, and our signal handlers run after it,
    so an error of ours still answers 500 (the ESP retries), while a malformed body answers 400 (it does not).
    """

    def parse_events(self: Any, request: HttpRequest) -> Any:
        try:
            return view_class.parse_events(self, request)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            raise UnreadableWebhookBody(type(exc).__name__) from exc

    return type(view_class.__name__, (view_class,), {"parse_events": parse_events})


def _esp_views(kind: str) -> dict[str, Any]:
    from anymail.webhooks import amazon_ses, mailgun, postmark, sendgrid

    if kind == "inbound":
        return {
            "postmark": postmark.PostmarkInboundWebhookView,
            "sendgrid": sendgrid.SendGridInboundWebhookView,
            "mailgun": mailgun.MailgunInboundWebhookView,
            "ses": amazon_ses.AmazonSESInboundWebhookView,
        }
    return {
        "postmark": postmark.PostmarkTrackingWebhookView,
        "sendgrid": sendgrid.SendGridTrackingWebhookView,
        "mailgun": mailgun.MailgunTrackingWebhookView,
        "ses": amazon_ses.AmazonSESTrackingWebhookView,
    }


def _anymail_view(request: HttpRequest, kind: str, esp: str) -> HttpResponse:
    """Run anymail's webhook view for one ESP, refused outright unless a webhook secret is configured.

    (anymail itself only warns when no secret is set, and would then accept anyone's events.)
    """
    view_class = _esp_views(kind).get(esp)
    if view_class is None or not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return HttpResponseForbidden()
    try:
        view = _refusing_unreadable_bodies(view_class).as_view()
        response: HttpResponse = view(request)
    except ImproperlyConfigured:
        return HttpResponseForbidden()
    except UnreadableWebhookBody as exc:
        logger.warning("%s %s webhook: unreadable body (%s)", esp, kind, exc)
        return HttpResponseBadRequest()
    return response


@csrf_exempt
def email_tracking(request: HttpRequest, esp: str) -> HttpResponse:
    """anymail's tracking webhook (delivered, opened, bounced) for one ESP."""
    return _anymail_view(request, "tracking", esp)


def _basic_auth_ok(request: HttpRequest) -> bool:
    secrets = settings.ANYMAIL.get("WEBHOOK_SECRET") or []
    secrets = [secrets] if isinstance(secrets, str) else list(secrets)
    scheme, _sep, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic" or not secrets:
        return False
    try:
        given = base64.b64decode(encoded, validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return False
    return any(constant_time_compare(given, secret) for secret in secrets)


@csrf_exempt
@require_POST
def email_inbound(request: HttpRequest, esp: str) -> HttpResponse:
    """Family email replies: an ESP's inbound webhook (through anymail), or `raw` for an RFC 822 message
    posted as it is by a mail server's pipe, with the same basic-auth secret; `?recipient=` may name
    the envelope recipient."""
    if esp != "raw":
        return _anymail_view(request, "inbound", esp)
    if not _basic_auth_ok(request):
        return HttpResponseForbidden()
    message = BytesParser(policy=email_policy.default).parsebytes(request.body)
    email_reply_receive(message=message, recipients=request.GET.getlist("recipient"))
    return HttpResponse(status=204)
