"""/styleguide/: every component of homeroom.css rendered from its real include template, beside its markup.

For staff, and only with DEBUG on (404 otherwise): it is a reference for people changing Homeroom, not a page of
the product. The samples are made-up data, in English whatever the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from homeroom.access.scoping import scope_for
from homeroom.core.charts import bar_chart, render_svg


@dataclass(frozen=True)
class Example:
    name: str
    template: str  # the include that pages use, or "" for plain markup
    html: SafeString


class _SampleForm(forms.Form):
    """A form row of each kind: text with help, a single checkbox, a group of choices."""

    email = forms.EmailField(label="Email", help_text="We write to this address only about your child.")
    interpreter = forms.BooleanField(label="An interpreter took part", required=False)
    channels = forms.MultipleChoiceField(label="Channels", required=False, widget=forms.CheckboxSelectMultiple,
                                         choices=[("sms", "Text message"), ("email", "Email")])


def _include(template: str, **context: Any) -> Example:
    return Example(template.rsplit("/", 1)[-1].removesuffix(".html"), template, render_to_string(template, context))


def _chips(example: Example) -> Example:
    """Chips sit in a list: <ul class="chips">."""
    return Example(example.name, example.template, format_html('<ul class="chips">{}</ul>', example.html))


def examples() -> list[Example]:
    form = _SampleForm(data={"email": "not an address"})
    form.is_valid()
    table = mark_safe(
        "<table><caption>Deliveries by channel</caption><thead><tr><th scope=\"col\">Channel</th>"
        "<th scope=\"col\">Sent</th><th scope=\"col\">Delivered</th><th scope=\"col\">Failed</th></tr></thead>"
        "<tbody><tr><th scope=\"row\">Text message</th><td>120</td><td>113</td><td>7</td></tr></tbody></table>")
    chart = bar_chart("Families reached by language", [("Spanish", 82), ("English", 91), ("Haitian Creole", 64)])
    buttons = mark_safe(
        '<p class="actions"><button type="button">Send</button> <a class="button secondary" href="#">Preview</a> '
        '<button type="button" class="link">Cancel</button></p>')
    cards = mark_safe(
        '<ul class="cards"><li class="card"><strong>42</strong> contacts</li>'
        '<li class="card"><strong>9</strong> families not reached</li></ul>')
    return [
        Example("buttons", "", buttons),
        _chips(_include("core/includes/chip.html", text="Grade 5", count="48 families", name="remove",
                        value="grade:5")),
        Example("cards", "", cards),
        _include("core/includes/badge.html", text="Delivered", kind="ok"),
        _include("core/includes/badge.html", text="Failed", kind="error"),
        _include("core/includes/table_scroll.html", label="Deliveries by channel", table=table),
        *(_include("core/includes/field.html", field=form[name]) for name in ("email", "interpreter", "channels")),
        _include("core/includes/alert.html", text="Your message was scheduled."),
        _include("core/includes/alert.html", text="Three families have no working number.", kind="warn"),
        _include("core/includes/empty.html", title="No messages yet.",
                 text="Messages you send appear here."),
        _include("core/includes/progress.html", id="sample-progress", label="Delivered", done=113, total=120),
        Example("chart", "core/_bar_chart.html", render_svg(chart, "sample-chart")),
    ]


def styleguide(request: HttpRequest) -> HttpResponse:
    if not settings.DEBUG or not scope_for(request.user).is_staff_member:
        raise Http404
    return render(request, "access/styleguide.html", {"examples": examples()})
