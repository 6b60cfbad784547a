"""How many texts a message costs: GSM-7 (GSM 03.38 default alphabet) or UCS-2, and the segments that makes.

A text in GSM-7 holds 160 characters (153 per part once split); the extension table's characters (such as € [ ] { })
take two. One character outside GSM-7 (ñ is in it, but á, ã, ơ and every Chinese or Arabic letter are not) turns the
whole text into UCS-2: 70 characters (67 per part), counted in UTF-16 units, so an emoji takes two.
"""

from __future__ import annotations

from dataclasses import dataclass

# GSM 03.38 default alphabet (basic character set), in table order.
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
# The escape character itself is not text a sender types.
GSM7_BASIC_CHARS = frozenset(GSM7_BASIC) - {"\x1b"}
# GSM 03.38 extension table: each is sent as ESC + one character, so it counts as two.
GSM7_EXTENSION_CHARS = frozenset("\x0c^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    characters: int
    # The first few characters that forced UCS-2, to tell the sender what to change.
    unicode_characters: tuple[str, ...] = ()

    @property
    def is_unicode(self) -> bool:
        return self.encoding == "UCS-2"


def _ucs2_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def count_segments(text: str) -> SegmentCount:
    """The encoding and number of segments a carrier bills for `text` (0 segments for an empty text)."""
    septets = 0
    outside: list[str] = []
    for char in text:
        if char in GSM7_BASIC_CHARS:
            septets += 1
        elif char in GSM7_EXTENSION_CHARS:
            septets += 2
        elif char not in outside:
            outside.append(char)
    if not outside:
        return SegmentCount("GSM-7", septets, _segments(septets, GSM7_SINGLE, GSM7_PART), len(text))
    units = _ucs2_units(text)
    return SegmentCount("UCS-2", units, _segments(units, UCS2_SINGLE, UCS2_PART), len(text), tuple(outside[:5]))


def _segments(units: int, single: int, part: int) -> int:
    if units == 0:
        return 0
    if units <= single:
        return 1
    return -(-units // part)
