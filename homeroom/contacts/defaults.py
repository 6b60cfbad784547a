"""Loads the shipped Connecticut checklist (data/ct_checklist.json) as the district-less default template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULTS_FILE = Path(__file__).parent / "data" / "ct_checklist.json"
ITEM_FIELDS = (
    "title", "title_translations", "anchor", "offset_school_days", "window_school_days", "manual_only",
    "completed_by_event",
)


def load_checklist_defaults(template_model: Any, item_model: Any, path: Path = DEFAULTS_FILE) -> Any:
    """Create or refresh the default template; takes model classes so migrations can pass historical ones."""
    data = json.loads(path.read_text(encoding="utf-8"))
    template, _ = template_model.objects.update_or_create(
        district=None, code=data["code"], defaults={"name": data["name"], "is_active": True}
    )
    for order, raw in enumerate(data["items"]):
        values: dict[str, Any] = {
            "title_translations": {}, "offset_school_days": 0, "window_school_days": 0, "manual_only": False,
            "completed_by_event": "",
        }
        values.update({key: raw[key] for key in ITEM_FIELDS if key in raw})
        # An earlier migration passes a historical model that lacks the fields added since.
        known = {f.name for f in item_model._meta.get_fields()}
        values = {key: value for key, value in values.items() if key in known}
        item_model.objects.update_or_create(template=template, code=raw["code"], defaults={**values, "order": order})
    return template
