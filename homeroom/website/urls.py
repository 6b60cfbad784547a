"""Public pages under /schools/ (no sign-in) and the district's content editor under /website/."""

from django.urls import path

from homeroom.website import editor_views, pages

app_name = "website"
urlpatterns = [
    path("schools/<slug:district_slug>/", pages.district_page, name="district"),
    path("schools/<slug:district_slug>/resources/community/", pages.community, name="community"),
    path("schools/<slug:district_slug>/files/<int:pk>/", pages.public_file, name="file"),
    path("schools/<slug:district_slug>/<slug:school_slug>/", pages.school_page, name="school"),
    path("website/", editor_views.index, name="editor"),
    path("website/settings/", editor_views.publication, name="publication"),
    path("website/community/", editor_views.resources, name="resources"),
    path("website/community/new/", editor_views.resource_edit, name="resource_new"),
    path("website/community/<int:pk>/", editor_views.resource_edit, name="resource_edit"),
    path("website/community/<int:pk>/delete/", editor_views.resource_delete, name="resource_delete"),
    path("website/files/", editor_views.files, name="files"),
    path("website/files/<int:pk>/delete/", editor_views.file_delete, name="file_delete"),
    path("website/announcements/", editor_views.announcements, name="announcements"),
    path("website/announcements/new/", editor_views.announcement_edit, name="announcement_new"),
    path("website/announcements/<int:pk>/", editor_views.announcement_edit, name="announcement_edit"),
    path("website/announcements/<int:pk>/delete/", editor_views.announcement_delete, name="announcement_delete"),
    path("website/family/community/", editor_views.family_community, name="family_community"),
]
