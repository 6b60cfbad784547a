"""The one bulk upsert every sourced entity goes through, counting what it changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone

from homeroom.roster.importers.problems import ImportReport
from homeroom.roster.importers.write.sql import insert_rows, update_rows

BATCH = 2000
T = TypeVar("T")


def chunks(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(slots=True)
class Incoming:
    """One row to write: its field values (only those the export speaks for), status and modification time."""

    values: dict[str, Any]
    active: bool = True
    modified: datetime | None = None


@dataclass
class Upserted:
    ids: dict[str, int]  # every sourced id of the district → primary key, old and new
    stale: int = 0  # delta rows older than what is stored, left alone


Merge = Callable[[dict[str, Any] | None, dict[str, Any]], dict[str, Any]]
Derive = tuple[str, Callable[[dict[str, Any]], Any]]


def upsert(
    model: type[Model],
    district_id: int,
    incoming: dict[str, Incoming],
    fields: list[str],
    report: ImportReport,
    entity: str,
    *,
    delta: bool,
    deactivate_missing: bool,
    merge: Merge | None = None,
    keep: frozenset[str] = frozenset(),
    derive: Derive | None = None,
) -> Upserted:
    """Create, update or deactivate rows of `model` so the district matches `incoming`.

    `fields` lists every column the import may write; each Incoming says which of them it knows. `merge`
    may adjust incoming values in the light of the stored ones (e.g. keep a consent date already given).
    `keep` names rows a full snapshot must not deactivate even when it leaves them out.
    `derive` is (column, function of the whole row): a column computed from the others, such as the search key,
    written in the same statements as they are.
    """
    counts = report.counts(entity)
    manager = model._default_manager
    if derive is not None:
        fields = [*fields, derive[0]]
    stored: dict[str, tuple[int, dict[str, Any]]] = {}
    rows = (
        manager.filter(district_id=district_id)
        .exclude(sourced_id="")
        .values_list("pk", "sourced_id", "is_active", "source_modified_at", *fields)
    )
    for pk, sourced_id, is_active, modified, *values in rows.iterator(chunk_size=BATCH):
        current = dict(zip(fields, values, strict=True))
        current["is_active"] = is_active
        current["source_modified_at"] = modified
        stored[sourced_id] = (pk, current)
    result = Upserted(ids={sourced_id: pk for sourced_id, (pk, _) in stored.items()})
    now = timezone.now()
    to_create: list[dict[str, Any]] = []
    to_update: list[tuple[int, dict[str, Any]]] = []
    for sourced_id, row in incoming.items():
        found = stored.get(sourced_id)
        values = merge(found[1] if found else None, row.values) if merge else row.values
        if found is None:
            if delta and not row.active:
                continue  # deleting something we never had
            # The incoming dict itself becomes the row: a copy of 400,000 of them was a large share of the peak.
            values.update(district_id=district_id, sourced_id=sourced_id, is_active=row.active,
                          source_modified_at=row.modified)
            if derive is not None:
                values[derive[0]] = derive[1](values)
            to_create.append(values)
            counts["created"] += 1
            continue
        pk, current = found
        if delta and row.modified and current["source_modified_at"] and row.modified < current["source_modified_at"]:
            result.stale += 1
            counts["unchanged"] += 1
            continue
        wanted = {**current, **values, "is_active": row.active, "source_modified_at": row.modified or
                  current["source_modified_at"]}
        if derive is not None:
            wanted[derive[0]] = derive[1](wanted)
        if wanted == current:
            counts["unchanged"] += 1
            continue
        if current["is_active"] and not row.active:
            counts["deactivated"] += 1
        else:
            counts["updated"] += 1
        to_update.append((pk, {**wanted, "updated_at": now}))
    insert_rows(model, to_create)
    if to_create:
        created = {row["sourced_id"] for row in to_create}
        for sourced_id, pk in manager.filter(district_id=district_id).values_list("sourced_id", "pk").iterator(
                chunk_size=BATCH):
            if sourced_id in created:
                result.ids[sourced_id] = pk
    update_rows(model, [*fields, "is_active", "source_modified_at", "updated_at"], to_update)
    if deactivate_missing:
        gone = [pk for sourced_id, (pk, current) in stored.items()
                if current["is_active"] and sourced_id not in incoming and sourced_id not in keep]
        for batch in chunks(gone):
            manager.filter(pk__in=batch).update(is_active=False, updated_at=now)
        counts["deactivated"] += len(gone)
    report.stale += result.stale
    return result
