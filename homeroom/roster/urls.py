from django.urls import path

from homeroom.roster import import_views, views

app_name = "roster"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("sections/<int:pk>/", views.section, name="section"),
    path("students/<int:pk>/", views.student, name="student"),
    path("guardians/<int:pk>/", views.guardian, name="guardian"),
    path("households/<int:pk>/", views.household, name="household"),
    path("search/", views.search, name="search"),
    path("imports/", import_views.import_upload, name="import"),
    path("imports/<int:pk>/", import_views.import_run, name="import_run"),
    path("imports/<int:pk>/again/", import_views.import_run_again, name="import_run_again"),
]
