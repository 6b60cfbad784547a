from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "homeroom.messaging"
    label = "messaging"

    def ready(self) -> None:
        from anymail.signals import tracking

        from homeroom.messaging.webhooks import on_anymail_tracking

        tracking.connect(on_anymail_tracking, dispatch_uid="homeroom-messaging-tracking")
