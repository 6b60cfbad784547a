from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "homeroom.messaging"
    label = "messaging"

    def ready(self) -> None:
        from anymail.signals import tracking

        from homeroom.messaging.webhooks import on_anymail_tracking

        tracking.connect(on_anymail_tracking, dispatch_uid="homeroom-messaging-tracking")
        _register_words()


def _register_words() -> None:
    from homeroom.core import words
    from homeroom.messaging.engine.pauses import PROVIDER_LABELS
    from homeroom.messaging.models import DeliveryState, SkipReason

    words.register("state", lambda: DeliveryState.choices)
    words.register("outcome", lambda: DeliveryState.choices)  # a message's outcome on a family's timeline
    words.register("reason", lambda: SkipReason.choices)
    words.register("provider", lambda: PROVIDER_LABELS.items())
