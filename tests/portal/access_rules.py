"""URL × role rules for the family portal (walked by tests/test_url_access.py)."""

from __future__ import annotations

from typing import Any

from tests.access import Rule, expect_all, staff_only
from tests.actors import World
from tests.portal.helpers import SHARED_DOCUMENT_NAME, conversation_with, document_for

# A guardian page: families get it, staff are the wrong kind of user, signed-out people sign in.
FAMILY_PAGE = expect_all(403, anonymous=302, ana=200, luis=200, paul=200)
# Sofia's pages: her mother only; her non-custodial father and another family get "not found".
SOFIAS_PAGE = expect_all(403, anonymous=302, ana=200, luis=404, paul=404)
SIGNED_IN = expect_all(200, anonymous=302)


def _sofia(w: World) -> dict[str, Any]:
    return {"pk": w.sofia.pk}


def _sofias_letter(w: World) -> dict[str, Any]:
    # Addressed to both parents: Luis holds no rights, so even an addressed copy must stay hidden from him.
    document = document_for(w, guardian=w.ana, student=w.sofia, stored_name=SHARED_DOCUMENT_NAME)
    document.guardians.add(w.luis)
    return {"pk": document.pk}


def _anas_conversation(w: World) -> dict[str, Any]:
    return {"pk": conversation_with(w, w.ana).pk}


def _anas_attachment(w: World) -> dict[str, Any]:
    conversation = conversation_with(w, w.ana, attachment=True)
    return {"pk": conversation.pk, "entry_pk": conversation.entries.get().pk, "index": 0}


def _message_texted_to_ana(w: World) -> dict[str, Any]:
    from homeroom.messaging.models import Delivery
    from tests.messaging.helpers import compose

    message = compose(w)
    Delivery.objects.create(message=message, guardian=w.ana, channel="sms", address=w.ana.mobile_phone or "",
                            language="es", content_language="es", state="sent", idempotency_key=f"m{message.pk}-a")
    return {"pk": message.pk}


# A conversation is the guardian's own; anyone else's request finds nothing.
ANAS_OWN = expect_all(403, anonymous=302, ana=200, luis=404, paul=404)

RULES = {
    "portal:home": Rule(expect=FAMILY_PAGE),
    "portal:child": Rule(kwargs=_sofia, expect=SOFIAS_PAGE),
    "portal:child_grades": Rule(kwargs=_sofia, expect=SOFIAS_PAGE),
    "portal:child_attendance": Rule(kwargs=_sofia, expect=SOFIAS_PAGE),
    "portal:child_profile": Rule(kwargs=_sofia, expect=SOFIAS_PAGE),
    "portal:inbox": Rule(expect=FAMILY_PAGE),
    "portal:conversation_start": Rule(expect=FAMILY_PAGE),
    "portal:conversation": Rule(kwargs=_anas_conversation, expect=ANAS_OWN),
    "portal:conversation_attachment": Rule(kwargs=_anas_attachment, expect=ANAS_OWN),
    # The portal copy of a message that reached Ana by text opens as her thread (a redirect to it).
    "portal:message": Rule(kwargs=_message_texted_to_ana, expect=expect_all(403, anonymous=302, ana=302, luis=404,
                                                                           paul=404)),
    "portal:preferences": Rule(expect=FAMILY_PAGE),
    "portal:documents": Rule(expect=FAMILY_PAGE),
    "portal:document_download": Rule(kwargs=_sofias_letter, expect=SOFIAS_PAGE),
    "portal:expectations": Rule(expect=SIGNED_IN),
    "portal:resources": Rule(expect=SIGNED_IN),
    "portal:glossary": Rule(expect=SIGNED_IN),
    # Now a pointer to the survey instruments (surveys:family) for families.
    "portal:feedback": Rule(expect=expect_all(403, anonymous=302, ana=302, luis=302, paul=302)),
    "portal:section_notes_index": Rule(expect=staff_only(200)),
    # Only the class's own teacher writes to its families; others who may see the class are refused.
    "portal:section_notes": Rule(
        kwargs=lambda w: {"pk": w.section_5a.pk},
        expect=staff_only(403, teacher=200, other_teacher=404, case_manager=404),
    ),
    "portal:feedback_list": Rule(expect=staff_only(403, admin=200, principal=200)),
}

# Sending a note about an absence: Sofia's mother only (an empty form is refused, 400); others do not find her.
RULES["portal:child_absence_note"] = Rule(method="post", kwargs=_sofia,
                                          expect=expect_all(403, anonymous=302, ana=400, luis=404, paul=404))

# The district's editor of the portal's guidance (glossary, expectations, resources): district administrators.
_GUIDANCE_ADMIN = expect_all(403, anonymous=302, admin=200)
RULES |= {
    "portal:content_index": Rule(expect=_GUIDANCE_ADMIN),
    "portal:content_edit": Rule(kwargs=lambda w: {"kind": "glossary", "key": "iep"}, expect=_GUIDANCE_ADMIN),
    "portal:content_restore": Rule(method="post", kwargs=lambda w: {"kind": "glossary", "key": "iep"},
                                   expect=expect_all(403, anonymous=302, admin=302)),
}
