from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "homeroom.api"
    label = "api"
