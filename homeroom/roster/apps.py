from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "homeroom.roster"
    label = "roster"
