"""Installed instead of django.contrib.admin, so that `admin.site` is core.admin_site.HomeroomAdminSite.

A module of its own: an app config module must not import models, and the site needs allauth's.
"""

from django.contrib.admin.apps import AdminConfig


class HomeroomAdminConfig(AdminConfig):
    default_site = "homeroom.core.admin_site.HomeroomAdminSite"
