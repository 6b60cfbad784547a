"""Family-wide pages: preferences, documents, expectations, resources, glossary and feedback."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.access.i18n import interface_language, offered_languages
from homeroom.messaging import policy
from homeroom.portal import selectors, services
from homeroom.portal.forms import CHANNEL_SLOTS, CONSENT_CHANNELS, GlossarySearchForm, PreferencesForm
from homeroom.portal.models import GuideKind
from homeroom.roster import reachability
from homeroom.roster.contact_status import CHANNEL_NAMES, consent_entries
from homeroom.roster.models import CHOOSABLE_CATEGORIES, DEFAULT_CHANNEL_ORDER, Category, Guardian


def _initial_preferences(guardian: Guardian) -> dict[str, object]:
    order = [c for c in guardian.channel_order or [] if c in DEFAULT_CHANNEL_ORDER]
    order += [c for c in DEFAULT_CHANNEL_ORDER if c not in order]
    initial: dict[str, object] = {f"channel_{i + 1}": order[i] for i in range(CHANNEL_SLOTS)}
    initial.update(
        language=interface_language(guardian.language) or "",
        update_frequency=guardian.update_frequency,
        best_time=guardian.best_time,
        email=guardian.email,
        mobile_phone=guardian.mobile_phone,
        home_phone=guardian.home_phone,
        work_phone=guardian.work_phone,
    )
    return initial


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    scope = scoping.require_guardian(request.user)
    guardian = scoping.get_in_scope(scoping.guardians_for(request.user), pk=scope.guardian_id)
    form = PreferencesForm(request.POST or None, initial=_initial_preferences(guardian),
                           consent=reachability.consent_states(guardian), languages=offered_languages(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = services.PreferenceChange(
            language=data["language"], channel_order=form.channel_order, update_frequency=data["update_frequency"],
            best_time=data["best_time"], consent=form.consent_changes(), email=data["email"],
            mobile_phone=data["mobile_phone"], home_phone=data["home_phone"], work_phone=data["work_phone"],
        )
        services.guardian_preferences_update(guardian=guardian, user=request.user, change=change)
        translation.activate(change.language)
        messages.success(request, _("Your preferences are saved."))
        response = redirect("portal:preferences")
        # The device's language cookie would otherwise keep the old language on this phone.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, change.language, samesite="Lax")
        return response
    bad = {field: reachability.is_marked(guardian, field) for field in reachability.MARKS}
    rules = {category: policy.CATEGORY_RULES[category].consent for category, _label in CHOOSABLE_CATEGORIES}
    labels = dict(Category.choices)
    channels = [
        {"code": channel, "name": CHANNEL_NAMES[channel], "fields": form.consent_fields(channel),
         "stopped": bool(getattr(guardian, f"{channel}_opted_out_at")),
         # What reaches the family on this channel today, so the answers above are never the only clue.
         "receives": [labels[c] for c in reachability.reachable_categories(guardian, channel, rules)]}
        for channel in CONSENT_CHANNELS
    ]
    always = [label for category, label in CHOOSABLE_CATEGORIES
              if policy.CATEGORY_RULES[category].consent == reachability.Consent.EMERGENCY]
    history = consent_entries(guardian, reader_user_id=request.user.pk)
    return render(request, "portal/preferences.html", {
        "form": form, "guardian": guardian, "bad": bad, "channels": channels, "always": always,
        "history": history,
    })


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    scoping.require_guardian(request.user)
    documents = list(selectors.documents_for(request.user))
    record_student_access(user=request.user, student_ids=[d.student_id for d in documents if d.student_id],
                          action="portal.documents")
    return render(request, "portal/documents.html", {"documents": documents})


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    scoping.require_guardian(request.user)
    document = scoping.get_in_scope(selectors.documents_for(request.user), pk=pk)
    name = document.file.name.rsplit("/", 1)[-1]
    if document.student_id:
        record_student_access(user=request.user, student_ids=[document.student_id], action="portal.document")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


@login_required
def expectations(request: HttpRequest) -> HttpResponse:
    entries = selectors.guide_entries(request.user, kind=GuideKind.EXPECTATION)
    schools = selectors.feedback_schools(request.user)
    return render(request, "portal/expectations.html", {"entries": entries, "schools": schools})


@login_required
def resources(request: HttpRequest) -> HttpResponse:
    entries = selectors.guide_entries(request.user, kind=GuideKind.RESOURCE)
    return render(request, "portal/resources.html", {"entries": entries})


@login_required
def glossary(request: HttpRequest) -> HttpResponse:
    form = GlossarySearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    terms = selectors.glossary(request.user, query=query)
    return render(request, "portal/glossary.html", {"form": form, "terms": terms, "query": query})


@login_required
def feedback(request: HttpRequest) -> HttpResponse:
    """Feedback is now given through survey instruments (the surveys app); this address stays for old links."""
    scoping.require_guardian(request.user)
    return redirect("surveys:family")
