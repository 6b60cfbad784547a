"""Survey URLs (/surveys/): staff pages, self-assessments, and the family answering pages (r/ and p/)."""

from django.urls import path

from homeroom.surveys.views import assessments, family, staff, staff_card

app_name = "surveys"
urlpatterns = [
    path("", staff.survey_list, name="list"),
    path("new/", staff.survey_new, name="new"),
    path("<int:pk>/", staff.survey_detail, name="detail"),
    path("<int:pk>/send/", staff.survey_send, name="send"),
    path("<int:pk>/remind/", staff.survey_remind, name="remind"),
    path("<int:pk>/close/", staff.survey_close, name="close"),
    path("<int:pk>/results/", staff.survey_results_page, name="results"),
    path("<int:pk>/results.csv", staff.survey_results_csv, name="results_csv"),
    path("instruments/", staff.instruments, name="instruments"),
    path("instruments/new/", staff.instrument_add, name="instrument_add"),
    path("instruments/<int:pk>/", staff.instrument, name="instrument"),
    path("teams/", assessments.teams, name="teams"),
    path("teams/<int:pk>/", assessments.team, name="team"),
    path("assessments/<int:pk>/", assessments.assessment, name="assessment"),
    path("assessments/<int:pk>/consensus/", assessments.consensus, name="consensus"),
    path("plans/<int:pk>/", assessments.plan, name="plan"),
    path("<int:pk>/staff-answer/", staff_card.staff_answer, name="staff_answer"),
    path("family/", family.family_list, name="family"),
    path("family/<int:pk>/", family.family_answer, name="family_answer"),
    path("r/<str:token>/", family.answer, name="answer"),
    path("p/<str:token>/", family.public, name="public"),
]
