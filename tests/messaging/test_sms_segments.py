"""The text counter: GSM-7 vs UCS-2 and segments, checked against the GSM 03.38 tables."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from homeroom.messaging.compose.sms_segments import (
    GSM7_BASIC_CHARS,
    GSM7_EXTENSION_CHARS,
    count_segments,
)

BASIC = st.sampled_from(sorted(GSM7_BASIC_CHARS))
EXTENDED = st.sampled_from(sorted(GSM7_EXTENSION_CHARS))
NOT_GSM = st.characters(blacklist_characters=sorted(GSM7_BASIC_CHARS | GSM7_EXTENSION_CHARS | {"\x1b"}),
                        blacklist_categories=("Cs",))


def expected(units: int, single: int, part: int) -> int:
    if units == 0:
        return 0
    return 1 if units <= single else (units + part - 1) // part


def test_table_has_the_128_positions_less_escape_and_the_ten_extension_characters():
    assert len(GSM7_BASIC_CHARS) == 127
    assert len(GSM7_EXTENSION_CHARS) == 10
    assert not GSM7_BASIC_CHARS & GSM7_EXTENSION_CHARS


def test_spanish_with_enye_stays_gsm_but_an_accented_a_does_not():
    assert count_segments("Mañana no hay clases").encoding == "GSM-7"
    result = count_segments("Reunión mañana: está")
    assert result.encoding == "UCS-2"
    assert result.unicode_characters == ("ó", "á")


def test_vietnamese_is_ucs2_and_161_gsm_characters_are_two_texts():
    assert count_segments("Họp phụ huynh").is_unicode
    assert count_segments("a" * 160).segments == 1
    assert count_segments("a" * 161).segments == 2
    assert count_segments("a" * 306).segments == 2
    assert count_segments("a" * 307).segments == 3
    assert count_segments("ạ" * 70).segments == 1
    assert count_segments("ạ" * 71).segments == 2
    assert count_segments("").segments == 0


def test_euro_sign_counts_two_so_80_of_them_fill_one_text():
    assert count_segments("€" * 80) .units == 160
    assert count_segments("€" * 80).segments == 1
    assert count_segments("€" * 81).segments == 2


@given(st.lists(BASIC, max_size=500))
def test_basic_characters_count_one_septet_each(chars):
    text = "".join(chars)
    result = count_segments(text)
    assert result.encoding == "GSM-7"
    assert result.units == len(text)
    assert result.segments == expected(len(text), 160, 153)


@given(st.lists(BASIC, max_size=300), st.lists(EXTENDED, max_size=100))
def test_extension_characters_count_two(basic, extended):
    text = "".join(basic + extended)
    result = count_segments(text)
    assert result.encoding == "GSM-7"
    assert result.units == len(basic) + 2 * len(extended)
    assert result.segments == expected(result.units, 160, 153)


@given(st.lists(BASIC | EXTENDED, max_size=200), NOT_GSM, st.lists(BASIC, max_size=200))
def test_one_character_outside_gsm_makes_the_whole_text_ucs2(before, odd, after):
    text = "".join(before) + odd + "".join(after)
    result = count_segments(text)
    assert result.encoding == "UCS-2"
    assert result.units == len(text.encode("utf-16-le")) // 2
    assert result.segments == expected(result.units, 70, 67)
    assert odd in result.unicode_characters
