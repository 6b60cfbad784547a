"""URL × role rules for the roster pages (see tests/access.py and tests/test_url_access.py).

Roster engineers: append an entry here for every URL name you add to homeroom/roster/urls.py.
"""

from __future__ import annotations

from tests.access import Rule, staff_only

RULES: dict[str, Rule] = {
    "roster:dashboard": Rule(expect=staff_only(200)),
}


# --- OneRoster import (importer engineer) ---
def _import_run_kwargs(w):
    from homeroom.roster.models import ImportRun

    run = ImportRun.objects.create(district=w.district, source_name="export.zip", status=ImportRun.Status.APPLIED)
    return {"pk": run.pk}


RULES["roster:import"] = Rule(expect=staff_only(403, admin=200))
RULES["roster:import_run"] = Rule(kwargs=_import_run_kwargs, expect=staff_only(403, admin=200))


def _failed_run_kwargs(w):
    from homeroom.roster.models import ImportRun

    run = ImportRun.objects.create(district=w.district, source_name="export.zip", status=ImportRun.Status.FAILED,
                                   upload="imports/missing.zip", failure=ImportRun.Failure.WORKER_LOST)
    return {"pk": run.pk}


RULES["roster:import_run_again"] = Rule(method="post", kwargs=_failed_run_kwargs,
                                        expect=staff_only(403, admin=302))


# --- Staff roster pages (UI engineer) ---
def _sofias_household(w):
    # The shared world has no households; each access test runs in a savepoint, so this is rolled back.
    from homeroom.roster.models import Student
    from tests import factories as f

    household = f.HouseholdFactory(district=w.district, name="Garcia")
    Student.objects.filter(pk=w.sofia.pk).update(household=household)
    return {"pk": household.pk}


# Lincoln's staff see Lincoln's records; Mr. Baker (Washington) does not; Mr. Chen sees only Mateo's.
_LINCOLN_RECORD = staff_only(200, other_teacher=404, case_manager=404)

RULES["roster:school"] = Rule(kwargs=lambda w: {"pk": w.lincoln.pk}, expect=staff_only(200, other_teacher=404))
RULES["roster:section"] = Rule(kwargs=lambda w: {"pk": w.section_5a.pk}, expect=_LINCOLN_RECORD)
RULES["roster:student"] = Rule(kwargs=lambda w: {"pk": w.sofia.pk}, expect=_LINCOLN_RECORD)
RULES["roster:guardian"] = Rule(kwargs=lambda w: {"pk": w.ana.pk}, expect=_LINCOLN_RECORD)
RULES["roster:household"] = Rule(kwargs=_sofias_household, expect=_LINCOLN_RECORD)
RULES["roster:search"] = Rule(expect=staff_only(200))
