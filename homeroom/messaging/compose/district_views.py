"""District administrators' messaging settings page: the fallback rule and quiet hours."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeroom.access import scoping
from homeroom.messaging.engine.fallback import (
    DistrictMessagingSettings,
    district_settings_current,
    district_settings_save,
)


class DistrictSettingsForm(forms.Form):
    sms_to_voice = forms.BooleanField(
        required=False, label=gettext_lazy("When a text cannot be delivered, call the family instead")
    )
    email_to_sms = forms.BooleanField(
        required=False, label=gettext_lazy("When an email bounces, send a text instead")
    )
    quiet_hours_start = forms.TimeField(
        required=False, label=gettext_lazy("Quiet hours start"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_hours_end = forms.TimeField(
        required=False, label=gettext_lazy("Quiet hours end"), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("quiet_hours_start") is None) != (data.get("quiet_hours_end") is None):
            raise forms.ValidationError(_("Give both the start and the end of quiet hours, or neither."))
        return data

    def values(self) -> DistrictMessagingSettings:
        data = self.cleaned_data
        return DistrictMessagingSettings(
            sms_to_voice=data["sms_to_voice"],
            email_to_sms=data["email_to_sms"],
            quiet_hours_start=data.get("quiet_hours_start"),
            quiet_hours_end=data.get("quiet_hours_end"),
        )


@login_required
def district_settings(request: HttpRequest) -> HttpResponse:
    district = scoping.administered_district(request.user)
    current = district_settings_current(district=district)
    form = DistrictSettingsForm(request.POST or None, initial=asdict(current))
    if request.method == "POST" and form.is_valid():
        district_settings_save(district=district, user=request.user, values=form.values())
        flash.success(request, _("Messaging settings saved."))
        return redirect("messaging:district_settings")
    return render(request, "messaging/district_settings.html", {"form": form, "district": district})
