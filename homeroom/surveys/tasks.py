"""Background work: sending a survey or its reminders (one message per family is too slow for a request)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from homeroom.surveys import services
from homeroom.surveys.models import Survey


@task()
def survey_send_task(survey_id: int, user_id: int, callback_name: str, callback_phone: str,
                     grades: list[str]) -> int:
    survey = Survey.objects.get(pk=survey_id)
    user = get_user_model().objects.get(pk=user_id)
    return services.survey_send(survey=survey, user=user, grades=grades or None,
                                callback=services.Callback(name=callback_name, phone=callback_phone))


@task()
def survey_remind_task(survey_id: int, user_id: int, callback_name: str, callback_phone: str) -> int:
    survey = Survey.objects.get(pk=survey_id)
    user = get_user_model().objects.get(pk=user_id)
    return services.survey_remind(survey=survey, user=user,
                                  callback=services.Callback(name=callback_name, phone=callback_phone))
