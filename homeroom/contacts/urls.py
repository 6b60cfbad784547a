from django.urls import path

from homeroom.contacts import checklist_views, log_views, views

app_name = "contacts"
urlpatterns = [
    path("", views.my_students, name="my_students"),
    path("log", views.log_create, name="log_create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit", views.edit, name="edit"),
    path("<int:pk>/follow-up-done", views.follow_up_done, name="follow_up_done"),
    path("family/<int:guardian_pk>/", views.family_timeline, name="family_timeline"),
    path("monthly/", log_views.monthly_log, name="monthly_log"),
    path("monthly/export.xlsx", log_views.monthly_log_xlsx, name="monthly_log_xlsx"),
    path("monthly/export.csv", log_views.monthly_log_csv, name="monthly_log_csv"),
    path("week/", checklist_views.my_week, name="my_week"),
    path("checklist/student/<int:student_pk>/", checklist_views.student_checklist, name="student_checklist"),
    path("checklist/tasks/<int:pk>/done", checklist_views.task_complete, name="task_complete"),
    path("checklist/tasks/<int:pk>/undo", checklist_views.task_undo, name="task_undo"),
    path("checklist/template/", checklist_views.checklist_templates, name="checklist_templates"),
    path("checklist/template/copy", checklist_views.checklist_template_copy, name="checklist_template_copy"),
    path("checklist/items/<int:pk>/edit", checklist_views.checklist_item_edit, name="checklist_item_edit"),
]
