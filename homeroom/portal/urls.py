"""Family portal URLs (/family/); staff pages of the portal live under /family/staff/."""

from django.urls import path

from homeroom.portal.views import attendance, children, content, family, messages, staff

app_name = "portal"
urlpatterns = [
    path("", children.home, name="home"),
    path("children/<int:pk>/", children.child, name="child"),
    path("children/<int:pk>/grades/", children.child_grades, name="child_grades"),
    path("children/<int:pk>/attendance/", attendance.child_attendance, name="child_attendance"),
    path("children/<int:pk>/attendance/note", attendance.child_absence_note, name="child_absence_note"),
    path("children/<int:pk>/profile/", children.child_profile, name="child_profile"),
    path("messages/", messages.inbox, name="inbox"),
    path("messages/new/", messages.conversation_start, name="conversation_start"),
    path("messages/<int:pk>/", messages.conversation, name="conversation"),
    path("messages/sent/<int:pk>/", messages.message, name="message"),
    path("messages/<int:pk>/files/<int:entry_pk>/<int:index>/", messages.attachment, name="conversation_attachment"),
    path("preferences/", family.preferences, name="preferences"),
    path("documents/", family.documents, name="documents"),
    path("documents/<int:pk>/download/", family.document_download, name="document_download"),
    path("expectations/", family.expectations, name="expectations"),
    path("resources/", family.resources, name="resources"),
    path("glossary/", family.glossary, name="glossary"),
    path("feedback/", family.feedback, name="feedback"),
    path("staff/notes/", staff.section_notes_index, name="section_notes_index"),
    path("staff/sections/<int:pk>/notes/", staff.section_notes, name="section_notes"),
    path("staff/feedback/", staff.feedback_list, name="feedback_list"),
    path("staff/content/", content.content_index, name="content_index"),
    path("staff/content/<str:kind>/<slug:key>/", content.content_edit, name="content_edit"),
    path("staff/content/<str:kind>/<slug:key>/restore/", content.content_restore, name="content_restore"),
]
