"""Writing gradebook categories, line items and results."""

from __future__ import annotations

from django.db.models import Model

from homeroom.roster import models as m
from homeroom.roster.importers.problems import ImportReport
from homeroom.roster.importers.records import Export
from homeroom.roster.importers.write.upsert import Incoming, upsert


def write_grades(export: Export, district_id: int, sections: dict[str, int], students: dict[str, int],
                 report: ImportReport) -> None:
    categories: dict[str, int] = {}
    if export.mode("categories"):
        categories = upsert(
            m.GradeCategory, district_id,
            {sid: Incoming({"title": c.title, "weight": c.weight}, c.active, c.modified)
             for sid, c in export.categories.items()},
            ["title", "weight"], report, "grade_categories", delta=export.mode("categories") == "delta",
            deactivate_missing=export.mode("categories") == "bulk",
        ).ids
    elif export.line_items:
        categories = _stored(m.GradeCategory, district_id)
    items: dict[str, Incoming] = {}
    for sid, item in export.line_items.items():
        section_id = sections.get(item.class_id)
        if section_id is None:
            continue
        items[sid] = Incoming(
            {"section_id": section_id, "title": item.title, "description": item.description,
             "assign_date": item.assign_date, "due_date": item.due_date,
             "category_id": categories.get(item.category_id), "grading_period_sourced_id": item.grading_period_id,
             "result_value_min": item.result_value_min, "result_value_max": item.result_value_max},
            item.active, item.modified,
        )
    line_items: dict[str, int] = {}
    if export.mode("lineitems"):
        line_items = upsert(
            m.LineItem, district_id, items,
            ["section_id", "title", "description", "assign_date", "due_date", "category_id",
             "grading_period_sourced_id", "result_value_min", "result_value_max"],
            report, "line_items", delta=export.mode("lineitems") == "delta",
            deactivate_missing=export.mode("lineitems") == "bulk",
        ).ids
    elif export.results:
        line_items = _stored(m.LineItem, district_id)
    if not export.mode("results"):
        return
    results: dict[str, Incoming] = {}
    for sid, result in export.results.items():
        line_item_id, student_id = line_items.get(result.line_item_id), students.get(result.student_id)
        if line_item_id is None or student_id is None:
            continue
        results[sid] = Incoming(
            {"line_item_id": line_item_id, "student_id": student_id, "score": result.score,
             "score_status": result.score_status, "text_score": result.text_score, "comment": result.comment,
             "score_date": result.score_date},
            result.active, result.modified,
        )
    upsert(m.Result, district_id, results,
           ["line_item_id", "student_id", "score", "score_status", "text_score", "comment", "score_date"],
           report, "results", delta=export.mode("results") == "delta",
           deactivate_missing=export.mode("results") == "bulk")


def _stored(model: type[Model], district_id: int) -> dict[str, int]:
    return dict(model._default_manager.filter(district_id=district_id).values_list("sourced_id", "pk"))
