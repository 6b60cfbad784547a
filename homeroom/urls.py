"""Top-level URLs: each app owns its own prefix."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("homeroom.core.urls")),
    path("", include("homeroom.access.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("roster/", include("homeroom.roster.urls")),
    path("contacts/", include("homeroom.contacts.urls")),
    path("calendar/", include("homeroom.schoolcalendar.urls")),
    path("messaging/", include("homeroom.messaging.urls")),
    path("family/", include("homeroom.portal.urls")),
    path("meetings/", include("homeroom.meetings.urls")),
    path("attendance/", include("homeroom.attendance.urls")),
    path("surveys/", include("homeroom.surveys.urls")),
    path("reach/", include("homeroom.reach.urls")),
    path("programs/", include("homeroom.programs.urls")),
    path("api/", include("homeroom.api.urls")),
    path("", include("homeroom.website.urls")),  # /schools/ (public pages) and /website/ (the district's editor)
    path("admin/", admin.site.urls),
]
