from django.urls import path

from homeroom.access import styleguide, views

urlpatterns = [
    path("", views.home, name="home"),
    path("access-log/", views.access_log, name="access_log"),
    path("styleguide/", styleguide.styleguide, name="styleguide"),
]
