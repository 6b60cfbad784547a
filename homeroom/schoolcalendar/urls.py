from django.urls import path

from homeroom.schoolcalendar import views

app_name = "schoolcalendar"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("years/add", views.year_add, name="year_add"),
    path("closures/<int:pk>/delete", views.closure_delete, name="closure_delete"),
    path("closures/import", views.import_closures, name="import"),
]
