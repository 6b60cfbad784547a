from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "homeroom.core"
    label = "core"
