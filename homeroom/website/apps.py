from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "homeroom.website"
    label = "website"
