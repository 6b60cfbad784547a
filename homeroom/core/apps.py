from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The shared cache (rate limits, lock-outs) is a table when there is no Redis: `migrate` makes it.

    Idempotent, so it runs after every migrate (and after every test database is built).
    """
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "homeroom.core"
    label = "core"

    def ready(self) -> None:
        from homeroom.core import checks, lockout  # noqa: F401 - registers the system checks and signal handlers

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="homeroom.core.create_cache_table")

