from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolcalendarConfig(AppConfig):
    name = "homeroom.schoolcalendar"
    label = "schoolcalendar"
    verbose_name = _("School calendar")

    def ready(self) -> None:
        from django.core.signals import request_started

        from homeroom.schoolcalendar.days import clear_cache

        # Closures are cached per request: start every request with a clean slate.
        request_started.connect(lambda **kwargs: clear_cache(), weak=False, dispatch_uid="schoolcalendar_cache")
