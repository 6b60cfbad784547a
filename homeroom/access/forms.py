"""Sign-in forms: staff type an email and password; families type an email or a mobile number."""

from __future__ import annotations

from typing import Any

from allauth.account.fields import PhoneField
from allauth.account.forms import LoginForm, RequestLoginCodeForm
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from homeroom.access.accounts import is_staff_account
from homeroom.core.phone import to_e164


class HomeroomPhoneField(PhoneField):
    """allauth's phone field, but accepting national formats like (203) 555-0142."""

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value) or "").strip()
        if not text:
            return text
        return to_e164(text) or text


class StaffLoginForm(LoginForm):
    """Email and password. Phone numbers are for codes only, so the field says email."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.EmailField(
            label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
        )
        self.fields["password"].label = _("Password")
        self.fields["password"].help_text = ""  # the page links to the password reset itself
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.order_fields(["login", "password"])

    @property
    def account_locked(self) -> bool:
        """The page then offers the unlock email (a password reset)."""
        return self.has_error(NON_FIELD_ERRORS, code="account_locked")


class FamilyCodeRequestForm(RequestLoginCodeForm):
    """One box for an email address or a mobile number; the code goes to whichever was typed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("email", None)
        self.fields.pop("phone", None)
        self.fields["login"] = forms.CharField(
            label=_("Email or mobile phone number"),
            max_length=320,
            widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
        )

    def clean_login(self) -> str:
        value = self.cleaned_data["login"].strip()
        try:
            validate_email(value)
        except ValidationError:
            phone = to_e164(value)
            if phone is None:
                raise ValidationError(
                    _("Type the email address or mobile number the school has for you."), code="invalid"
                ) from None
            self.cleaned_data["phone"] = phone
            self.clean_phone()
        else:
            self.cleaned_data["email"] = value
            self.clean_email()
            if is_staff_account(getattr(self, "_user", None)):
                # Staff sign in with their password (+ authenticator): a code would skip both.
                self._user = None
        return value

    def clean(self) -> dict[str, Any]:
        # The parent refuses email and phone together; one box cannot hold both.
        return self.cleaned_data



class AccessLogFilterForm(forms.Form):
    """Posted, not put in the URL: a student number is student data and URLs end up in logs."""

    student_number = forms.CharField(label=_("Student number"), max_length=255, required=False)
    viewer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Viewed by"), queryset=None, required=False, empty_label=_("Anyone")
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, viewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        viewer_field = self.fields["viewer"]
        assert isinstance(viewer_field, forms.ModelChoiceField)
        viewer_field.queryset = viewers
