"""Twilio's documented error codes as data: what each means and whose fault it is (https://www.twilio.com/docs/errors).

Only a RECIPIENT code counts against a family's number (a bad mark and the fallback). A PROVIDER code is the
district's own setup and pauses the send; a MESSAGE code fails that one delivery and marks nothing. A code not
listed here never marks a number: without Twilio saying the number is wrong, the family is not blamed.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeroom.messaging.channels.base import Fault


@dataclass(frozen=True)
class TwilioError:
    code: int
    fault: str
    meaning: str


_CODES = [
    # The account or its credentials: the district's fault, never a family's.
    TwilioError(20003, Fault.PROVIDER, "authentication failed (wrong Account SID or auth token)"),
    TwilioError(20005, Fault.PROVIDER, "the account is not active (suspended or closed)"),
    TwilioError(20008, Fault.PROVIDER, "test credentials cannot reach this resource"),
    TwilioError(20404, Fault.PROVIDER, "the account or resource was not found (wrong Account SID)"),
    TwilioError(20429, Fault.THROTTLED, "too many requests"),
    TwilioError(21212, Fault.PROVIDER, "the 'From' number is not valid"),
    TwilioError(21606, Fault.PROVIDER, "the 'From' number cannot send text messages"),
    TwilioError(21608, Fault.PROVIDER, "a trial account can only send to verified numbers"),
    TwilioError(21210, Fault.PROVIDER, "the caller ID ('From') is not verified for this account"),
    TwilioError(30034, Fault.PROVIDER, "the sending number is not registered for A2P 10DLC"),
    TwilioError(30032, Fault.PROVIDER, "the toll-free sending number is not verified"),
    # The recipient's number: only these count against a family.
    TwilioError(21211, Fault.RECIPIENT, "the 'To' number is not a valid phone number"),
    TwilioError(21214, Fault.RECIPIENT, "the 'To' number cannot be reached"),
    TwilioError(21217, Fault.RECIPIENT, "the 'To' number does not appear to be valid"),
    TwilioError(21407, Fault.RECIPIENT, "this kind of number cannot receive text messages"),
    TwilioError(21421, Fault.RECIPIENT, "the phone number is invalid"),
    TwilioError(21610, Fault.RECIPIENT, "the recipient unsubscribed (replied STOP to this number)"),
    TwilioError(21612, Fault.RECIPIENT, "the 'To' number cannot be reached by text message"),
    TwilioError(21614, Fault.RECIPIENT, "the 'To' number is not a mobile number"),
    TwilioError(13224, Fault.RECIPIENT, "the number cannot be called (invalid or unsupported)"),
    TwilioError(30003, Fault.RECIPIENT, "unreachable destination handset"),
    TwilioError(30004, Fault.RECIPIENT, "the message was blocked by the recipient or their carrier"),
    TwilioError(30005, Fault.RECIPIENT, "unknown destination handset (the number does not exist)"),
    TwilioError(30006, Fault.RECIPIENT, "a landline or an unreachable carrier"),
    # This one message: nothing is wrong with the number, but retrying as it is cannot help.
    TwilioError(21408, Fault.MESSAGE, "the account may not send to the region of the 'To' number"),
    TwilioError(21617, Fault.MESSAGE, "the message body is too long"),
    TwilioError(30007, Fault.MESSAGE, "the carrier filtered the message as spam"),
    TwilioError(30008, Fault.TRANSIENT, "unknown error from the carrier"),
]
TWILIO_ERRORS: dict[int, TwilioError] = {error.code: error for error in _CODES}


def twilio_fault(*, status: int, code: int) -> str:
    """Whose fault an API error is, from Twilio's code first and the HTTP status when the code is unknown."""
    known = TWILIO_ERRORS.get(code)
    if known is not None:
        return known.fault
    if status == 429:
        return Fault.THROTTLED
    if status in (401, 403, 404):  # credentials, permissions, or an account that is not there
        return Fault.PROVIDER
    if 400 <= status < 500:
        return Fault.MESSAGE  # refused as it is; nothing says the number is wrong
    return Fault.TRANSIENT


def counts_against_number(code: str) -> bool:
    """For a status callback's ErrorCode: only a documented per-recipient code marks the number bad."""
    known = TWILIO_ERRORS.get(int(code)) if code.isdigit() else None
    return known is not None and known.fault == Fault.RECIPIENT


def describe(code: int) -> str:
    known = TWILIO_ERRORS.get(code)
    return known.meaning if known else ""
