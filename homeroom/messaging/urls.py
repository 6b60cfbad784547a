from django.urls import path

from homeroom.messaging import webhooks
from homeroom.messaging.compose import district_views, file_views, saved_list_views, views
from homeroom.messaging.conversations import attachment_views, inbox_views

app_name = "messaging"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("new/", views.compose, name="compose"),
    path("new/counter/", views.counter, name="counter"),
    path("files/<str:token>/", file_views.family_file, name="family_file"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/translate/", views.translate, name="translate"),
    path("<int:pk>/review/<str:language>/", views.review, name="review"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/report.csv", views.report_csv, name="report_csv"),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/<int:pk>/", inbox_views.conversation, name="conversation"),
    path("inbox/<int:pk>/files/<int:entry_pk>/<int:index>/", attachment_views.conversation_attachment,
         name="conversation_attachment"),
    path("outbox/", views.outbox, name="outbox"),
    path("lists/", saved_list_views.saved_list_index, name="saved_lists"),
    path("lists/new/", saved_list_views.saved_list_create, name="saved_list_create"),
    path("lists/<int:pk>/", saved_list_views.saved_list_edit, name="saved_list_edit"),
    path("lists/<int:pk>/delete/", saved_list_views.saved_list_delete, name="saved_list_delete"),
    path("district-settings/", district_views.district_settings, name="district_settings"),
    path("hooks/twilio/sms/", webhooks.twilio_inbound_sms, name="twilio_sms"),
    path("hooks/twilio/status/", webhooks.twilio_status, name="twilio_status"),
    path("hooks/email/<slug:esp>/", webhooks.email_tracking, name="email_tracking"),
    path("hooks/email/<slug:esp>/inbound/", webhooks.email_inbound, name="email_inbound"),
]
