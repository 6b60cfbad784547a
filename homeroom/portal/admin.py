"""Admin for the portal's district-editable content: expectations, resources and the glossary."""

from __future__ import annotations

from django.contrib import admin

from homeroom.portal.models import GlossaryTerm, GuideEntry


@admin.register(GuideEntry)
class GuideEntryAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "topic", "language", "district", "position")
    list_filter = ("kind", "language", "district")
    search_fields = ("title", "body", "key")


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ("term", "key", "language", "district")
    list_filter = ("language", "district")
    search_fields = ("term", "definition", "key")
