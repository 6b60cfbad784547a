"""The instrument file format: shipped files are valid, and a malformed file names the path of each problem."""

from __future__ import annotations

import copy
import json

import pytest

from homeroom.surveys import schema
from homeroom.surveys.definition import build
from homeroom.surveys.shipped import shipped_files

MINIMAL = {
    "format": 1, "key": "tiny", "version": 1, "kind": "family", "languages": ["en", "es"],
    "title": {"en": "Tiny", "es": "Pequeña"},
    "scales": {"yesno": [{"en": "No", "es": "No"}, {"en": "Yes", "es": "Sí"}]},
    "sections": [{"key": "one", "title": {"en": "One", "es": "Uno"}, "items": [
        {"key": "q1", "type": "rating", "text": {"en": "Q1", "es": "P1"}, "scale": "yesno"},
        {"key": "q2", "type": "single", "text": {"en": "Q2", "es": "P2"},
         "options": [{"key": "a", "label": {"en": "A", "es": "A"}}, {"key": "b", "label": {"en": "B", "es": "B"}}]},
        {"key": "q3", "type": "text", "text": {"en": "Q3", "es": "P3"}},
    ]}],
}


def problems_of(data: object) -> list[str]:
    with pytest.raises(schema.InstrumentInvalid) as caught:
        schema.validate(data)
    return [str(problem) for problem in caught.value.problems]


def changed(**paths: object) -> dict:
    data = copy.deepcopy(MINIMAL)
    for dotted, value in paths.items():
        target = data
        parts = dotted.split("__")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        target[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: p.name)
def test_every_shipped_instrument_is_valid_in_english_and_spanish(path):
    """English and Spanish at least (staff instruments stop there; family ones have every language:
    test_instrument_languages)."""
    data = schema.parse(path.read_text(encoding="utf-8"))
    assert data["languages"][:2] == ["en", "es"]
    assert build(data).items


def test_the_minimal_instrument_is_valid():
    assert schema.validate(copy.deepcopy(MINIMAL))["key"] == "tiny"


def test_a_scale_with_one_label_names_its_path():
    data = changed(sections__0__items__0__scale=[{"en": "Only", "es": "Solo"}])
    assert problems_of(data) == ["sections[0].items[0].scale: expected 2–10 labels"]


def test_a_scale_with_eleven_labels_is_refused():
    labels = [{"en": str(n), "es": str(n)} for n in range(11)]
    assert problems_of(changed(sections__0__items__0__scale=labels)) == [
        "sections[0].items[0].scale: expected 2–10 labels"]


def test_a_missing_translation_names_the_language_and_path():
    data = changed(sections__0__items__1__options__1__label={"en": "B"})
    assert problems_of(data) == ["sections[0].items[1].options[1].label: missing the “es” translation"]


def test_an_unknown_scale_name_is_refused():
    assert problems_of(changed(sections__0__items__0__scale="agree")) == [
        "sections[0].items[0].scale: no scale named “agree” in “scales”"]


def test_a_key_used_twice_names_both_places():
    data = changed(sections__0__items__2__key="q1")
    assert problems_of(data) == ["sections[0].items[2].key: “q1” is already used at sections[0].items[0].key"]


def test_an_unknown_item_type_and_an_unknown_field_are_both_reported():
    data = changed(sections__0__items__2__type="slider", sections__0__items__1__colour="red")
    assert sorted(problems_of(data)) == [
        "sections[0].items[1].colour: unknown field",
        "sections[0].items[2].type: expected one of: rating, single, multiple, text",
    ]


def test_a_choice_with_one_option_is_refused():
    data = changed(sections__0__items__1__options=[{"key": "a", "label": {"en": "A", "es": "A"}}])
    assert problems_of(data) == ["sections[0].items[1].options: expected 2–20 options"]


def test_missing_required_fields_are_each_named():
    data = copy.deepcopy(MINIMAL)
    del data["title"]
    del data["sections"][0]["items"][0]["text"]
    assert sorted(problems_of(data)) == ["sections[0].items[0].text: required", "title: required"]


def test_a_file_that_is_not_json_names_line_and_column():
    with pytest.raises(schema.InstrumentInvalid) as caught:
        schema.parse('{"format": 1,\n "key": }')
    assert str(caught.value).startswith("not valid JSON: line 2, column 9")


def test_a_text_in_a_language_not_listed_is_refused():
    data = changed(title={"en": "Tiny", "es": "Pequeña", "fr": "Petite"})
    assert problems_of(data) == ["title.fr: this language is not in “languages”"]


def test_reflection_questions_are_checked_too():
    data = changed(reflection=[{"key": "r1", "text": {"en": "Why?"}}])
    assert problems_of(data) == ["reflection[0].text: missing the “es” translation"]


def test_the_file_round_trips_through_json():
    text = json.dumps(MINIMAL)
    assert schema.parse(text) == MINIMAL


def test_a_null_text_counts_as_missing():
    assert problems_of(changed(sections__0__title=None)) == ["sections[0].title: required"]
