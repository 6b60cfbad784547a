"""allauth adapter: accounts come from the roster; nobody signs up on their own.

Guardians sign in with a one-time code sent to the email or mobile number the roster holds
for them; the code is worded in their language. Staff sign in with email and password (+ TOTP where
enrolled), never with a code: a code sent to a staff address gets a "use your password" email instead.
Wrong passwords are counted per account + IP address and per account (core.lockout).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from homeroom.access.accounts import is_staff_account
from homeroom.access.forms import HomeroomPhoneField
from homeroom.access.i18n import language_for_user
from homeroom.access.scoping import scope_for
from homeroom.core import lockout, outbox, sms
from homeroom.core.models import User
from homeroom.roster.models import Guardian


def _user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email, is_active=True).first()


def _login_of(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


class HomeroomAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_locked": _(
            "This account is locked after too many wrong passwords. Try again later, or unlock it by email."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> Any:
        scope = scope_for(request.user)
        if scope.is_staff_member:
            return reverse("roster:dashboard")
        if scope.is_guardian:
            return reverse("portal:home")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = _user_by_email(email)
        if template_prefix == "account/email/unknown_account" and is_staff_account(user):
            # A sign-in code was asked for a staff address: no code, but the owner learns how to sign in.
            template_prefix = "account/email/staff_password_only"
        # The request's language is whatever the sign-in page was shown in; the mail is for the person.
        language = language_for_user(user) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix: str, email: str, context: dict[str, Any],
                    headers: dict[str, str] | None = None) -> EmailMessage:
        # Everything allauth sends (codes, reset links) is for the addressee's eyes only; the dev outbox hides it.
        return super().render_mail(template_prefix, email, context, headers={**(headers or {}),
                                                                             outbox.SIGN_IN_HEADER: "1"})

    # --- Wrong passwords: per account + IP address (allauth's "login_failed"), and per account. ---

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        self._account_attempt = lockout.consume_account_attempt(request, _login_of(credentials))

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        attempt = getattr(self, "_account_attempt", None)
        if attempt is not None:
            if user is not None:
                attempt.rollback()  # a right password is not a failure
            return user
        # Locked: only the right password *and* the authenticator code that follows get in. Without an
        # authenticator the answer is the same for a right and a wrong password: a guesser learns nothing.
        if user is not None and Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists():
            return user
        raise self.validation_error("account_locked")

    def format_email_subject(self, subject: str) -> str:
        # Our subjects already say "Homeroom"; allauth's "[site]" prefix would show the bare host name.
        return subject

    # --- Sign-in by text message: the number lives on the roster's Guardian row. ---

    def phone_form_field(self, **kwargs: Any) -> HomeroomPhoneField:
        return HomeroomPhoneField(**kwargs)

    def get_user_by_phone(self, phone: str) -> AbstractBaseUser | None:
        user_ids = list(
            Guardian.objects.filter(mobile_phone=phone, is_active=True, user__is_active=True)
            .values_list("user_id", flat=True)
            .distinct()[:2]
        )
        # Two people sharing one number cannot be told apart by a code; they sign in by email.
        if len(user_ids) != 1:
            return None
        user = User.objects.filter(pk=user_ids[0]).first()
        # A guardian who also works for the district signs in as staff does: with the password.
        return None if is_staff_account(user) else user

    def get_phone(self, user: AbstractBaseUser) -> tuple[str, bool] | None:
        phone = Guardian.objects.filter(user_id=user.pk, is_active=True).values_list("mobile_phone", flat=True).first()
        # Numbers come from the district's records, which is as verified as they get.
        return (phone, True) if phone else None

    def set_phone(self, user: AbstractBaseUser, phone: str, verified: bool) -> None:
        for guardian in Guardian.objects.filter(user_id=user.pk, is_active=True):
            guardian.mobile_phone = phone
            guardian.save(update_fields=["mobile_phone", "updated_at"])  # the search key follows (Guardian.save)

    def set_phone_verified(self, user: AbstractBaseUser, phone: str) -> None:
        # Nothing to store: roster numbers are already treated as verified (see get_phone).
        return None

    def send_verification_code_sms(self, user: AbstractBaseUser, phone: str, code: str, **kwargs: Any) -> None:
        sms.send_login_code(phone, code, language_for_user(user) or translation.get_language())

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        # Texting numbers we do not know would let anyone spend the district's SMS budget.
        return None
