"""Background work of the meetings app: letters are made as PDFs off the request path."""

from __future__ import annotations

from django_tasks import task

from homeroom.meetings.letters import letter_render


@task()
def render_letter_task(letter_id: int) -> None:
    letter_render(letter_id=letter_id)
