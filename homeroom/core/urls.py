from django.urls import path

from homeroom.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    # Sign-in addresses come from the district's roster: allauth's page for changing them is switched off.
    path("accounts/email/", views.roster_owns_email, name="account_email_disabled"),
]
