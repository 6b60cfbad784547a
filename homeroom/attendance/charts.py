"""Attendance's charts are core's server-drawn bar charts (`homeroom.core.charts`)."""

from __future__ import annotations

from homeroom.core.charts import Bar, Chart, bar_chart

__all__ = ["Bar", "Chart", "bar_chart"]
