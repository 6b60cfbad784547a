from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "homeroom.contacts"
    label = "contacts"
