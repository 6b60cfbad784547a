from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who a signed-in person is on the roster and what they may see: scoping, sign-in, the FERPA access log."""

    name = "homeroom.access"
    label = "access"

    def ready(self) -> None:
        from homeroom.access import sessions  # noqa: F401 - registers the sign-in signal handler
