"""Family-wide pages: preferences, documents, expectations, resources, glossary and feedback."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from homeroom.core import scoping
from homeroom.portal import selectors, services
from homeroom.portal.forms import CHANNEL_SLOTS, GlossarySearchForm, PreferencesForm
from homeroom.portal.models import GuideKind
from homeroom.roster.models import DEFAULT_CHANNEL_ORDER, Guardian


def _initial_preferences(guardian: Guardian) -> dict[str, object]:
    order = [c for c in guardian.channel_order or [] if c in DEFAULT_CHANNEL_ORDER]
    order += [c for c in DEFAULT_CHANNEL_ORDER if c not in order]
    initial: dict[str, object] = {f"channel_{i + 1}": order[i] for i in range(CHANNEL_SLOTS)}
    initial.update(
        language=guardian.language.split("-")[0],
        update_frequency=guardian.update_frequency,
        best_time=guardian.best_time,
        sms="yes" if services.guardian_sms_opted_in(guardian) else "no",
        voice="yes" if services.guardian_voice_opted_in(guardian) else "no",
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
    form = PreferencesForm(request.POST or None, initial=_initial_preferences(guardian))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = services.PreferenceChange(
            language=data["language"], channel_order=form.channel_order, update_frequency=data["update_frequency"],
            best_time=data["best_time"], sms_opt_in=data["sms"] == "yes", voice_opt_in=data["voice"] == "yes",
            email=data["email"], mobile_phone=data["mobile_phone"], home_phone=data["home_phone"],
            work_phone=data["work_phone"],
        )
        services.guardian_preferences_update(guardian=guardian, user=request.user, change=change)
        translation.activate(change.language)
        messages.success(request, _("Your preferences are saved."))
        response = redirect("portal:preferences")
        # The device's language cookie would otherwise keep the old language on this phone.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, change.language, samesite="Lax")
        return response
    bad = {
        "email": guardian.email_bad_at, "mobile_phone": guardian.mobile_phone_bad_at,
        "home_phone": guardian.home_phone_bad_at,
    }
    return render(request, "portal/preferences.html", {"form": form, "guardian": guardian, "bad": bad})


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    scoping.require_guardian(request.user)
    return render(request, "portal/documents.html", {"documents": selectors.documents_for(request.user)})


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    scoping.require_guardian(request.user)
    document = scoping.get_in_scope(selectors.documents_for(request.user), pk=pk)
    name = document.file.name.rsplit("/", 1)[-1]
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
