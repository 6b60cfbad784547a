from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "homeroom.meetings"
    label = "meetings"
