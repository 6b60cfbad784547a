"""Parsing the gradebook files: categories, line items and results."""

from __future__ import annotations

from homeroom.roster.importers.cells import Row
from homeroom.roster.importers.i18n import gettext as _
from homeroom.roster.importers.parse import base, keyed
from homeroom.roster.importers.problems import Problems
from homeroom.roster.importers.records import CategoryRecord, LineItemRecord, ResultRecord
from homeroom.roster.importers.source import Table
from homeroom.roster.models import ScoreStatus

SCORE_STATUS = {value: value for value in ScoreStatus.values} | {
    value.replace(" ", ""): value for value in ScoreStatus.values
}


def parse_categories(table: Table, problems: Problems, delta: bool) -> dict[str, CategoryRecord]:
    def build(row: Row) -> CategoryRecord:
        sourced_id, active, modified = base(row, delta)
        return CategoryRecord(sourced_id, row.number, active, modified,
                              title=row.text("title", required=True), weight=row.decimal("weight"))

    return keyed(table, problems, build)


def parse_line_items(table: Table, problems: Problems, delta: bool) -> dict[str, LineItemRecord]:
    def build(row: Row) -> LineItemRecord:
        sourced_id, active, modified = base(row, delta)
        record = LineItemRecord(
            sourced_id, row.number, active, modified,
            class_id=row.text("classSourcedId", required=True),
            title=row.text("title", required=True),
            description=row.text("description", max_length=10000),
            assign_date=row.datetime("assignDate"),
            due_date=row.datetime("dueDate"),
            category_id=row.text("categorySourcedId"),
            grading_period_id=row.text("gradingPeriodSourcedId") or row.text("academicSessionSourcedId"),
            result_value_min=row.decimal("resultValueMin"),
            result_value_max=row.decimal("resultValueMax"),
        )
        low, high = record.result_value_min, record.result_value_max
        if low is not None and high is not None and high < low:
            row.error("resultValueMax", _("The highest score is below the lowest."))
        return record

    return keyed(table, problems, build)


def parse_results(table: Table, problems: Problems, delta: bool) -> dict[str, ResultRecord]:
    def build(row: Row) -> ResultRecord:
        sourced_id, active, modified = base(row, delta)
        return ResultRecord(
            sourced_id, row.number, active, modified,
            line_item_id=row.text("lineItemSourcedId", required=True),
            student_id=row.text("studentSourcedId", required=True),
            score=row.decimal("score"),
            score_status=row.choice("scoreStatus", SCORE_STATUS),
            text_score=row.text("textScore"),
            comment=row.text("comment", max_length=10000),
            score_date=row.date("scoreDate"),
        )

    return keyed(table, problems, build)
