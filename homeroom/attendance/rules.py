"""Attendance rules as data: Connecticut's shipped file, with a district's own adjustments laid over it."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
SHIPPED_RULES = DATA / "connecticut.json"
SHIPPED_PLAN = DATA / "outreach.json"

STATUSES = ("present", "absent_full", "absent_half", "tardy", "early_dismissal")
DOCUMENT_KINDS = ("parent", "medical")


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    listed: bool  # excuses an absence from the 10th on
    documentation: str  # "parent", "medical" or "none"
    wellness_day: bool = False
    disciplinary: bool = False
    counts_as: str = ""  # "present" turns the day into attendance (alternative education, authorised remote)
    requires_remote_authorized: bool = False


@dataclass(frozen=True)
class Rules:
    min_fraction_of_day: float
    status_counts_as: dict[str, str]
    reasons: dict[str, Reason]
    remote_authorized: bool
    documented_up_to: int
    documentation_window: int
    wellness_per_year: int
    wellness_consecutive_allowed: bool
    chronic_ratio: float
    at_risk_ratio: float
    truancy_in_month: int
    truancy_in_year: int
    review_district_ratio: float
    review_school_ratio: float
    source: dict[str, Any]

    def reason(self, code: str) -> Reason | None:
        return self.reasons.get(code) if code else None


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` laid over `base`, nested dictionaries merged key by key."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@lru_cache(maxsize=1)
def shipped_rules() -> dict[str, Any]:
    return json.loads(SHIPPED_RULES.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def shipped_plan() -> dict[str, Any]:
    return json.loads(SHIPPED_PLAN.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def build_rules(data: dict[str, Any]) -> Rules:
    reasons = {
        code: Reason(
            code=code,
            listed=bool(spec.get("listed")),
            documentation=spec.get("documentation", "parent"),
            wellness_day=bool(spec.get("wellness_day")),
            disciplinary=bool(spec.get("disciplinary")),
            counts_as=spec.get("counts_as", ""),
            requires_remote_authorized=bool(spec.get("requires_remote_authorized")),
        )
        for code, spec in data["reasons"].items()
    }
    return Rules(
        min_fraction_of_day=float(data["in_attendance"]["min_fraction_of_day"]),
        status_counts_as={code: spec["counts_as"] for code, spec in data["statuses"].items()},
        reasons=reasons,
        remote_authorized=bool(data["remote_authorized"]["value"]),
        documented_up_to=int(data["excused"]["documented_absences_up_to"]),
        documentation_window=int(data["excused"]["documentation_within_school_days_of_return"]),
        wellness_per_year=int(data["wellness_days"]["per_year"]),
        wellness_consecutive_allowed=bool(data["wellness_days"]["consecutive_allowed"]),
        chronic_ratio=float(data["chronic"]["absence_ratio"]),
        at_risk_ratio=float(data["at_risk"]["absence_ratio"]),
        truancy_in_month=int(data["truancy"]["unexcused_in_month"]),
        truancy_in_year=int(data["truancy"]["unexcused_in_year"]),
        review_district_ratio=float(data["review_team"]["district_ratio"]),
        review_school_ratio=float(data["review_team"]["school_ratio"]),
        source=data,
    )


def connecticut() -> Rules:
    return build_rules(shipped_rules())
