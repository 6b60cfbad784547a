from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The synthetic demo district (`demo-district`, `demo-setup`, `demo-logins`): above the roster, which it
    loads through the real OneRoster importer; nothing imports it."""

    name = "homeroom.demo"
    label = "demo"
