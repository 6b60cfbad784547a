"""Loading the demo district once: generate it, import it through the real importer, give demo staff a password."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from homeroom.demo.attendance import DemoAttendance, DemoAttendanceRefused, load_demo_attendance
from homeroom.demo.generator import DemoSummary, generate_district
from homeroom.demo.logins import DEMO_DISTRICT_SLUG, DEMO_PASSWORD, DemoLogin, select_demo_logins
from homeroom.roster.models import District


class DemoSetupError(Exception):
    """The importer refused the generated files (a bug in the generator or the importer)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The demo district could not be imported:\n" + "\n".join(problems))
        self.problems = problems


@dataclass
class DemoSetupResult:
    loaded: bool  # False: a district was already there and nothing changed
    summary: DemoSummary | None = None
    import_summary: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: int = 0
    passwords_set: list[DemoLogin] = field(default_factory=list)
    attendance: DemoAttendance | None = None


def demo_setup(*, students: int, folder: Path, seed: int = 1, set_passwords: bool,
               today: date | None = None) -> DemoSetupResult:
    """Load a demo district into an empty database, with its attendance so far this school year (up to the day
    before `today`); with data already present, change nothing."""
    if District.objects.exists():
        return DemoSetupResult(loaded=False)
    from homeroom.roster.importers import import_oneroster

    summary = generate_district(folder, students=students, seed=seed)
    report = import_oneroster(folder, district_slug=DEMO_DISTRICT_SLUG)
    if not report.ok:
        raise DemoSetupError([str(problem) for problem in report.errors[:20]])
    result = DemoSetupResult(loaded=True, summary=summary, import_summary=dict(report.summary),
                             warnings=len(report.warnings))
    try:
        result.attendance = load_demo_attendance(District.objects.get(slug=DEMO_DISTRICT_SLUG), folder,
                                                 today=today or timezone.localdate(), seed=seed)
    except DemoAttendanceRefused as exc:
        raise DemoSetupError(exc.problems) from exc
    if set_passwords:
        result.passwords_set = demo_passwords_set(logins=select_demo_logins())
    return result


@transaction.atomic
def demo_passwords_set(*, logins: list[DemoLogin]) -> list[DemoLogin]:
    """Give the demo staff the published demo password; families keep signing in with one-time codes."""
    staff = [login for login in logins if login.by_password]
    users = get_user_model().objects.filter(pk__in=[login.user_id for login in staff])
    for user in users:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return staff
