"""Meetings URLs (/meetings/): staff pages, the family's pages under family/, letter templates under letters/."""

from django.urls import path

from homeroom.meetings import conference_views, family_views, template_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("students/<int:student_pk>/", views.student, name="student"),
    path("students/<int:student_pk>/ppt/new", views.ppt_create, name="ppt_create"),
    path("students/<int:student_pk>/packet", views.packet_send, name="packet_send"),
    path("ppt/<int:pk>/", views.ppt_detail, name="ppt_detail"),
    path("ppt/<int:pk>/invite", views.ppt_invite, name="ppt_invite"),
    path("ppt/<int:pk>/early-notice", views.ppt_early_notice, name="ppt_early_notice"),
    path("ppt/<int:pk>/attempts", views.ppt_attempt, name="ppt_attempt"),
    path("ppt/<int:pk>/safeguards", views.ppt_safeguards, name="ppt_safeguards"),
    path("ppt/<int:pk>/prep-paper", views.ppt_prep_paper, name="ppt_prep_paper"),
    path("ppt/<int:pk>/held", views.ppt_held, name="ppt_held"),
    path("ppt/<int:pk>/iep-sent", views.ppt_iep_sent, name="ppt_iep_sent"),
    path("ppt/<int:pk>/follow-up", views.ppt_follow_up, name="ppt_follow_up"),
    path("ppt/<int:pk>/cancel", views.ppt_cancel, name="ppt_cancel"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/acknowledge", views.request_acknowledge, name="request_acknowledge"),
    path("letters/<int:pk>/download", views.letter_download, name="letter_download"),
    path("letters/templates/", template_views.letter_templates, name="letter_templates"),
    path("letters/templates/<str:kind>/<str:language>/", template_views.letter_template_edit,
         name="letter_template_edit"),
    path("family/", family_views.family_meetings, name="family"),
    path("family/ppt/<int:pk>/prepare", family_views.prep_form, name="prep_form"),
    path("family/children/<int:student_pk>/request/<str:kind>", family_views.family_request, name="family_request"),
    path("conferences/slots/", conference_views.conference_slots, name="conference_slots"),
    path("conferences/bookings/<int:pk>/attendance", conference_views.conference_attendance,
         name="conference_attendance"),
    path("conferences/sections/<int:pk>/invite", conference_views.conference_invite_section,
         name="conference_invite_section"),
    path("family/conferences/", conference_views.family_conferences, name="conferences"),
    path("family/conferences/<int:pk>.ics", conference_views.conference_ics, name="conference_ics"),
    path("book/<str:token>/", conference_views.conference_link, name="conference_link"),
    path("book/<str:token>/<int:pk>.ics", conference_views.conference_link_ics, name="conference_link_ics"),
]
