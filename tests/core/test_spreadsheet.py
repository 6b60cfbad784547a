"""The one CSV cell helper every export uses: formulas stay text, phone numbers and plain text stay as they are."""

from __future__ import annotations

import pytest

from homeroom.core.spreadsheet import safe_cell


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"])
def test_a_cell_a_spreadsheet_would_run_becomes_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["+12035550142", "Ana Garcia", "", "1+1", 42, None])
def test_other_values_are_untouched(value):
    assert safe_cell(value) == value
