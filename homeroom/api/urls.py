from django.urls import path

from homeroom.api.views import api

urlpatterns = [path("v1/", api.urls)]
