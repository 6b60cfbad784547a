from django.urls import path

from homeroom.roster import views

app_name = "roster"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
