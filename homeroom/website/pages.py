"""The public school and district pages: no sign-in, no session, no cookie, cacheable by anyone.

Views here never touch `request.user` or `request.session` (core.security.is_public_path keeps the middleware
off them too), render without context processors and choose the language from the link (`?lang=`) or the
browser's Accept-Language, among the district's family languages.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_safe

from homeroom.access.i18n import enabled_languages, interface_language
from homeroom.roster.models import District, School
from homeroom.website import slugs, sources
from homeroom.website.models import PublicFile, ResourceCategory

MAX_AGE = 300  # five minutes: new events and notes show soon enough; a proxy serves the rest


def page_languages(district: District) -> list[tuple[str, str]]:
    return enabled_languages([district.family_languages or []])


def page_language(request: HttpRequest, district: District) -> str:
    codes = [code for code, _name in page_languages(district)]
    chosen = interface_language(request.GET.get("lang", ""), codes)
    if chosen:
        return chosen
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", ""))[:10]:
        found = interface_language(code, codes) if code != "*" else None
        if found:
            return found
    return interface_language(district.fallback_language, codes) or settings.LANGUAGE_CODE


def _language_links(path: str, language: str, district: District, extra: dict[str, str]) -> list[dict[str, Any]]:
    return [{"code": code, "name": name, "current": code == language,
             "url": f"{path}?{urlencode({**extra, 'lang': code})}"} for code, name in page_languages(district)]


def _public_response(request: HttpRequest, template: str, context: dict[str, Any], language: str) -> HttpResponse:
    with translation.override(language):
        content = render_to_string(template, context)  # no request: no context processor, no CSRF, no session
    response = HttpResponse(content)
    response["Content-Language"] = language
    response["ETag"] = f'"{hashlib.sha256(content.encode()).hexdigest()[:32]}"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def _common(request: HttpRequest, district: District, school: School | None, schools: list[School],
            language: str) -> dict[str, Any]:
    fallback = district.fallback_language or "en"
    school_links = [(other, reverse("website:school", args=[district.slug, slug]))
                    for slug, other in slugs.school_slugs(schools).items()]
    homework_guide, homework_places = sources.homework_help(district, language=language)
    sped_guide, sped_places = sources.special_education(district, language=language)
    return {
        "district": district, "school": school, "schools": school_links, "language": language, "fallback": fallback,
        "languages": _language_links(request.path, language, district, {}),
        "district_url": reverse("website:district", args=[district.slug]),
        "community_url": reverse("website:community", args=[district.slug]),
        "contacts": sources.contacts(district, school),
        "events": sources.upcoming_events(district, school, language=language),
        "files": sources.files(district, school, language=language),
        "rti": sources.rti_practices(district, language=language),
        "plan": sources.improvement_plan(school),
        "figures": sources.reach_figures(district, school),
        "feedback": sources.feedback_links(district, school),
        "expectations": sources.grade_expectations(district, language=language),
        "notes": sources.class_notes(school),
        "homework_guide": homework_guide, "homework_places": homework_places,
        "sped_guide": sped_guide, "sped_places": sped_places,
        "computers": sources.computer_places(district),
        "categories": ResourceCategory.choices,
    }


@require_safe
def district_page(request: HttpRequest, district_slug: str) -> HttpResponse:
    district = slugs.district_by_slug(district_slug)
    language = page_language(request, district)
    context = _common(request, district, None, slugs.public_schools(district), language)
    return _public_response(request, "website/page.html", context, language)


@require_safe
def school_page(request: HttpRequest, district_slug: str, school_slug: str) -> HttpResponse:
    district = slugs.district_by_slug(district_slug)
    school, schools = slugs.school_by_slug(district, school_slug)
    language = page_language(request, district)
    context = _common(request, district, school, schools, language)
    return _public_response(request, "website/page.html", context, language)


@require_safe
def community(request: HttpRequest, district_slug: str) -> HttpResponse:
    """Community resources by category and by a language they serve (plain GET: these are places, not people)."""
    district = slugs.district_by_slug(district_slug)
    language = page_language(request, district)
    category = request.GET.get("category", "")
    category = category if category in ResourceCategory.values else ""
    codes = [code for code, _name in page_languages(district)]
    serves = interface_language(request.GET.get("serves", ""), codes) or ""
    filters = {key: value for key, value in (("category", category), ("serves", serves)) if value}
    context = {
        "district": district, "language": language, "fallback": district.fallback_language or "en",
        "languages": _language_links(request.path, language, district, filters),
        "district_url": reverse("website:district", args=[district.slug]),
        "categories": ResourceCategory.choices, "category": category, "serves": serves,
        "serve_choices": page_languages(district),
        "results": sources.community_resources(district, category=category, language=serves),
    }
    return _public_response(request, "website/community.html", context, language)


@require_safe
def public_file(request: HttpRequest, district_slug: str, pk: int) -> FileResponse:
    """A handbook or policy the district uploaded: public by design, served with the pages' caching."""
    district = slugs.district_by_slug(district_slug)
    row = PublicFile.objects.filter(pk=pk, district=district).first()
    if row is None or not row.file:
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=False, filename=(row.file.name or "").rsplit("/", 1)[-1])
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    response["X-Content-Type-Options"] = "nosniff"
    return response
