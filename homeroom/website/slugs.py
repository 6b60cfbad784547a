"""Public addresses of schools: a slug from the school's name (the roster has no slug), unique in its district."""

from __future__ import annotations

from django.http import Http404
from django.utils.text import slugify

from homeroom.roster.models import District, School


def public_schools(district: District) -> list[School]:
    return list(School.objects.filter(district=district, is_active=True, org_type="school").order_by("name"))


def school_slugs(schools: list[School]) -> dict[str, School]:
    """slug → school. Two schools with the same name get their SIS identifier (or sourcedId) appended."""
    counts: dict[str, int] = {}
    for school in schools:
        base = slugify(school.name) or "school"
        counts[base] = counts.get(base, 0) + 1
    found: dict[str, School] = {}
    for school in schools:
        base = slugify(school.name) or "school"
        slug = base if counts[base] == 1 else f"{base}-{slugify(school.identifier or school.sourced_id) or school.pk}"
        found[slug] = school
    return found


def slug_of(school: School, schools: list[School]) -> str:
    return next(slug for slug, other in school_slugs(schools).items() if other.pk == school.pk)


def district_by_slug(slug: str) -> District:
    district = District.objects.filter(slug=slug).first()
    if district is None:
        raise Http404
    return district


def school_by_slug(district: District, slug: str) -> tuple[School, list[School]]:
    schools = public_schools(district)
    school = school_slugs(schools).get(slug)
    if school is None:
        raise Http404
    return school, schools
