"""Background work for the roster: importing an uploaded OneRoster export. Arguments are ids."""

from __future__ import annotations

from django_tasks import task

from homeroom.roster.importers.background import import_run_execute


@task()
def import_run_task(run_id: int) -> str:
    return import_run_execute(run_id=run_id)
