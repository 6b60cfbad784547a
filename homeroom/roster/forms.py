"""Forms for the staff roster pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    """Search by name, student number, phone or email; posted (never a GET query string) so names stay out of
    URLs and access logs."""

    q = forms.CharField(
        label=_("Name, student number, phone or email of a student or family member"),
        min_length=2,
        max_length=100,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
