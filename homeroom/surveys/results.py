"""Survey results: response rate, answers overall and by group, with small-cell suppression.

No group with fewer than MIN_GROUP responses is shown: not its answers, not its averages, not its open text.
The response rate counts invitations (who was asked and whether they answered), never answers.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from homeroom.access.i18n import language_key
from homeroom.roster.models import School
from homeroom.surveys.definition import Definition, Item, pick
from homeroom.surveys.models import Response, Survey

MIN_GROUP = 10


def subgroup_label(key: str) -> str:
    labels = {"english_learner": _("Families of English learners"), "iep": _("Families of students with an IEP"),
              "plan_504": _("Families of students with a 504 plan")}
    return labels.get(key, key)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class ItemResult:
    item: Item
    text: str
    answered: int
    bars: tuple[Bar, ...]  # rating: one per scale point, lowest first; choices: one per option
    average: float | None = None  # rating only


@dataclass(frozen=True)
class Group:
    kind: str  # "all", "language", "school", "grade", "subgroup"
    label: str
    responses: int
    invited: int | None = None
    responded: int | None = None
    items: tuple[ItemResult, ...] = ()

    @property
    def suppressed(self) -> bool:
        return self.responses < MIN_GROUP


@dataclass
class OpenAnswer:
    text: str
    language: str
    translated: str = ""  # for staff, when machine translation is configured and the languages differ


@dataclass
class Results:
    survey: Survey
    definition: Definition
    language: str
    invited: int
    responded: int
    responses: int
    overall: Group
    breakdowns: list[tuple[str, list[Group]]] = field(default_factory=list)
    open_text: list[tuple[str, list[OpenAnswer]]] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.responded / self.invited, 1) if self.invited else None

    @property
    def min_group(self) -> int:
        return MIN_GROUP


def _items(definition: Definition, rows: list[dict[str, Any]], language: str) -> tuple[ItemResult, ...]:
    results = []
    for item in definition.items:
        if item.type == "text":
            continue
        values = [row["answers"][item.key] for row in rows if item.key in row["answers"]]
        answered = len(values)
        if item.type == "rating":
            counts = Counter(values)
            labels: list[tuple[str, Any]] = [(pick(label, language), n + 1) for n, label in enumerate(item.labels)]
            average = round(sum(values) / answered, 2) if answered else None
        else:
            counts = Counter(v for value in values for v in (value if isinstance(value, list) else [value]))
            labels = [(pick(option.label, language), option.key) for option in item.options]
            average = None
        bars = tuple(Bar(label, counts.get(key, 0), round(100 * counts.get(key, 0) / answered, 1) if answered else 0.0)
                     for label, key in labels)
        results.append(ItemResult(item=item, text=pick(item.text, language), answered=answered, bars=bars,
                                  average=average))
    return tuple(results)


def _group(kind: str, label: str, rows: list[dict[str, Any]], definition: Definition, language: str,
           invited: int | None = None, responded: int | None = None) -> Group:
    items = _items(definition, rows, language) if len(rows) >= MIN_GROUP else ()
    return Group(kind=kind, label=label, responses=len(rows), invited=invited, responded=responded, items=items)


def _home_language(row: dict[str, Any]) -> list[str]:
    """One key per language, however the roster spelled it ('en', 'en-US' and 'eng' are one row)."""
    return [language_key(row["home_language"] if "home_language" in row else row["language"])]


def _language_name(code: str) -> str:
    if not code:
        return _("Not known")
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def survey_results(survey: Survey, *, language: str = "en") -> Results:
    definition = survey.instrument.definition
    language = definition.language_for(language) or definition.languages[0]
    fields = ("language", "home_language", "school_id", "grades", "subgroups", "answers")
    rows: list[dict[str, Any]] = list(Response.objects.filter(survey=survey).values(*fields))
    invitations = list(survey.invitations.filter(times_sent__gt=0).values("language", "school_id", "grades",
                                                                          "subgroups", "responded"))
    schools = dict(School.objects.filter(pk__in={r["school_id"] for r in rows} | {i["school_id"] for i in invitations}
                                         ).values_list("pk", "name"))

    def breakdown(kind: str, keys_of: Any, label_of: Any) -> list[Group]:
        by_key: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        asked: Counter[Any] = Counter()
        answered: Counter[Any] = Counter()
        for row in rows:
            for key in keys_of(row):
                by_key[key].append(row)
        for invitation in invitations:
            for key in keys_of(invitation):
                asked[key] += 1
                answered[key] += invitation["responded"]
        keys = sorted(set(by_key) | set(asked), key=lambda k: str(label_of(k)))
        return [_group(kind, label_of(key), by_key.get(key, []), definition, language,
                       invited=asked.get(key), responded=answered.get(key)) for key in keys]

    results = Results(
        survey=survey, definition=definition, language=language, invited=len(invitations),
        responded=sum(i["responded"] for i in invitations), responses=len(rows),
        overall=_group("all", _("All responses"), rows, definition, language),
    )
    results.breakdowns = [
        # By the family's home language on the roster (invitations hold it as `language`), not the language
        # the answers were given in; a public-link answer knows no family, so its home language is not known.
        (_("By home language"), breakdown("language", _home_language, _language_name)),
        (_("By school"), breakdown("school", lambda r: [r["school_id"]] if r["school_id"] else [],
                                   lambda k: schools.get(k, "—"))),
        (_("By grade"), breakdown("grade", lambda r: r["grades"], lambda k: _("Grade %(grade)s") % {"grade": k})),
        (_("By subgroup"), breakdown("subgroup", lambda r: r["subgroups"], subgroup_label)),
    ]
    if len(rows) >= MIN_GROUP:
        for item in definition.items:
            if item.type == "text":
                texts = sorted((OpenAnswer(row["answers"][item.key], row["language"]) for row in rows
                                if row["answers"].get(item.key)), key=lambda a: a.text)
                results.open_text.append((pick(item.text, language), texts))
    return results


# --- CSV ----------------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_rows(results: Results) -> Iterator[list[Any]]:
    yield [_("group type"), _("group"), _("responses"), _("question"), _("answer"), _("count"), _("percent")]
    groups: Iterable[Group] = [results.overall, *(g for _title, gs in results.breakdowns for g in gs)]
    for group in groups:
        if group.suppressed:
            yield [group.kind, group.label, _("fewer than %(n)d") % {"n": MIN_GROUP}, "", "", "", ""]
            continue
        for item in group.items:
            for bar in item.bars:
                yield [group.kind, group.label, group.responses, item.text, bar.label, bar.count, bar.percent]
    for question, answers in results.open_text:
        for answer in answers:
            yield ["text", _("All responses"), results.responses, question, answer.text, "", ""]


def results_csv(results: Results) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _csv_rows(results):
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()
