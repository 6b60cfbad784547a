"""Django admin for school years and closures."""

from django.contrib import admin

from homeroom.schoolcalendar.models import Closure, SchoolCalendar


@admin.register(SchoolCalendar)
class SchoolCalendarAdmin(admin.ModelAdmin):
    list_display = ("label", "district", "school", "start_date", "end_date")


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("start_date", "end_date", "reason", "district", "school")
    list_filter = ("district",)
