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
