from django.urls import path

from homeroom.reach import views

app_name = "reach"
urlpatterns = [
    path("", views.index, name="index"),
    path("district/", views.district, name="district"),
    path("district/not-reached.csv", views.district_csv, name="district_csv"),
    path("school/<int:pk>/", views.school, name="school"),
    path("school/<int:pk>/not-reached.csv", views.school_csv, name="school_csv"),
]
