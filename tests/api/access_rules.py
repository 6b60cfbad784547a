"""URL × role rules for the JSON API (see tests/test_url_access.py)."""

from tests.access import Rule

STAFF_ALL = {"admin": 200, "principal": 200, "teacher": 200, "other_teacher": 200, "case_manager": 200}
FAMILIES_REFUSED = {"ana": 403, "luis": 403, "paul": 403}

RULES = {
    # The docs and schema are for staff, like the API (homeroom/api/docs.py).
    "api:openapi-json": Rule(expect={"anonymous": 302, **STAFF_ALL, **FAMILIES_REFUSED}),
    "api:openapi-view": Rule(expect={"anonymous": 302, **STAFF_ALL, **FAMILIES_REFUSED}),
    "api:api-root": Rule(
        expect={"anonymous": 404, **dict.fromkeys(STAFF_ALL, 404), **dict.fromkeys(FAMILIES_REFUSED, 404)}
    ),
    "api:me": Rule(expect={"anonymous": 401, **STAFF_ALL, "ana": 200, "luis": 200, "paul": 200}),
    "api:schools": Rule(expect={"anonymous": 401, **STAFF_ALL, **FAMILIES_REFUSED}),
    "api:students": Rule(expect={"anonymous": 401, **STAFF_ALL, **FAMILIES_REFUSED}),
    "api:student": Rule(
        kwargs=lambda w: {"student_id": w.sofia.pk},
        expect={"anonymous": 401, "admin": 200, "principal": 200, "teacher": 200, "other_teacher": 404,
                "case_manager": 404, **FAMILIES_REFUSED},
    ),
    "api:guardians": Rule(
        kwargs=lambda w: {"student_id": w.mateo.pk},
        expect={"anonymous": 401, "admin": 200, "principal": 200, "teacher": 200, "other_teacher": 404,
                "case_manager": 200, **FAMILIES_REFUSED},
    ),
}


# --- Query parameters: the API follows the pages' scoping whatever a caller adds to the URL. ---
def _sofia_with_an_ended_link(w):
    """Sofia's former stepfather, whose link ended: no page shows him, so neither may the API."""
    from tests import factories as f

    former = f.GuardianFactory(district=w.district, given_name="Victor", family_name="Endedlink")
    f.StudentGuardianFactory(student=w.sofia, guardian=former, relationship="stepparent", is_active=False)
    return {"student_id": w.sofia.pk}


_SOFIAS_GUARDIANS = {"anonymous": 401, "admin": 200, "principal": 200, "teacher": 200, "other_teacher": 404,
                     "case_manager": 404, **FAMILIES_REFUSED}
_STUDENTS = RULES["api:students"].expect

VARIANTS = {
    "api:guardians": [
        Rule(kwargs=_sofia_with_an_ended_link, query=lambda w: {"include_inactive": "true"},
             hidden=lambda w: ["Endedlink"], expect=_SOFIAS_GUARDIANS),
    ],
    "api:students": [
        # Another school's students through a filter: staff outside Washington get an empty list.
        Rule(query=lambda w: {"school": w.washington.pk, "grade": "07"},
             hidden=lambda w: ["Sofia", "Mateo"], expect=_STUDENTS),
        Rule(query=lambda w: {"limit": 1000, "offset": 0}, expect=_STUDENTS),
    ],
}
