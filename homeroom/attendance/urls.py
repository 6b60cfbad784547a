from django.urls import path

from homeroom.attendance import views

app_name = "attendance"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_run, name="import_run"),
    path("students/<int:pk>/", views.student, name="student"),
    path("notes/", views.note_list, name="notes"),
    path("notes/<int:pk>/review", views.note_review, name="note_review"),
    path("tasks/<int:pk>/", views.task_close, name="task_close"),
    path("dashboard/", views.district_dashboard, name="district_dashboard"),
    path("dashboard/school/<int:pk>/", views.school_dashboard, name="school_dashboard"),
]
