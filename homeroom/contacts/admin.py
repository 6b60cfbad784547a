"""Django admin for contacts and checklist templates."""

from django.contrib import admin

from homeroom.contacts.models import ChecklistItem, ChecklistTemplate


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "is_active")
    inlines = [ChecklistItemInline]
