from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "homeroom.programs"
    label = "programs"
