from django.apps import AppConfig


class ReachConfig(AppConfig):
    name = "homeroom.reach"
    label = "reach"
