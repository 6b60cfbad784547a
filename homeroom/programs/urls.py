"""Programs URLs (/programs/): teams and plans, events, home visits, staff learning, practices; family pages
under family/ and the signed RSVP link under r/."""

from django.urls import path

from homeroom.programs import event_views, family_views, learning_views, team_views, visit_views

app_name = "programs"
urlpatterns = [
    path("", team_views.index, name="index"),
    path("teams/<int:pk>/", team_views.team, name="team"),
    path("teams/<int:pk>/members/", team_views.member_add, name="member_add"),
    path("teams/<int:pk>/members/<int:member>/remove/", team_views.member_remove, name="member_remove"),
    path("teams/<int:pk>/activities/", team_views.activity_add, name="activity_add"),
    path("teams/<int:pk>/items/<int:item_pk>/", team_views.activity_from_item, name="activity_from_item"),
    path("teams/<int:pk>/meetings/new/", team_views.meeting, name="meeting_new"),
    path("teams/<int:pk>/meetings/<int:meeting_pk>/", team_views.meeting, name="meeting"),
    path("events/", event_views.event_list, name="events"),
    path("events/new/", event_views.event_new, name="event_new"),
    path("events/<int:pk>/", event_views.event, name="event"),
    path("events/<int:pk>/edit/", event_views.event_edit, name="event_edit"),
    path("events/<int:pk>/cancel/", event_views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/invite/", event_views.event_invite, name="event_invite"),
    path("events/<int:pk>/feedback/", event_views.event_feedback, name="event_feedback"),
    path("events/<int:pk>/sign-in/", event_views.sign_in_sheet, name="sign_in"),
    path("events/<int:pk>/report/", event_views.event_report, name="event_report"),
    path("visits/", visit_views.visits_list, name="visits"),
    path("visits/<int:pk>/", visit_views.visit, name="visit"),
    path("visits/training/", visit_views.training, name="visit_training"),
    path("learning/", learning_views.learning_page, name="learning"),
    path("learning/guide/", learning_views.guide, name="guide"),
    path("learning/<int:pk>/", learning_views.discussion, name="discussion"),
    path("learning/<int:pk>/edit/", learning_views.discussion_edit, name="discussion_edit"),
    path("practices/", learning_views.practices, name="practices"),
    path("practices/new/", learning_views.practice_new, name="practice_new"),
    path("practices/<int:pk>/", learning_views.practice, name="practice"),
    path("practices/<int:pk>/edit/", learning_views.practice_edit, name="practice_edit"),
    path("practices/files/<int:pk>/", learning_views.practice_file, name="practice_file"),
    path("family/events/", family_views.family_events, name="family_events"),
    path("family/events/<int:pk>/", family_views.family_event, name="family_event"),
    path("family/events/<int:pk>/event.ics", family_views.family_event_ics, name="family_event_ics"),
    path("family/teams/", family_views.family_teams, name="family_teams"),
    path("family/teams/<int:pk>/", family_views.family_team, name="family_team"),
    path("r/<str:token>/", family_views.rsvp_link, name="rsvp_link"),
    path("r/<str:token>/event.ics", family_views.rsvp_link_ics, name="rsvp_link_ics"),
]
