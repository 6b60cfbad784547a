from django.apps import AppConfig


class SchoolcalendarConfig(AppConfig):
    name = "homeroom.schoolcalendar"
    label = "schoolcalendar"
