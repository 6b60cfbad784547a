"""Cutting the quoted history and the signature off an email reply."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from homeroom.messaging.conversations.replies import strip_quoted


def test_gmail_attribution_and_quote_are_cut():
    text = "See you then.\n\nOn Mon, Mar 3, 2025 at 10:00 AM Main office <reply@x.org> wrote:\n> School is closed."
    assert strip_quoted(text) == "See you then."


def test_attribution_wrapped_over_two_lines_is_cut():
    text = "Thanks!\r\n\r\nOn Mon, 3 Mar 2025 at 10:00, Main office\r\n<reply@x.org> wrote:\r\n\r\n> Closed."
    assert strip_quoted(text) == "Thanks!"


def test_spanish_attribution_is_cut():
    assert strip_quoted("Gracias.\n\nEl lun, 3 mar 2025, Oficina <a@b.org> escribió:\n> Cerrado.") == "Gracias."


def test_outlook_original_message_block_is_cut():
    text = "Fine by me.\n\n-----Original Message-----\nFrom: Main office\nSent: Monday\nSchool is closed."
    assert strip_quoted(text) == "Fine by me."


def test_outlook_header_block_is_cut():
    text = "Ok.\n\nFrom: Main office <reply@x.org>\nSent: Monday, March 3, 2025 10:00 AM\nTo: Ana\nClosed."
    assert strip_quoted(text) == "Ok."


def test_signature_after_the_standard_delimiter_is_cut():
    assert strip_quoted("Will do.\n-- \nAna Lopez\n555-0100") == "Will do."


def test_phone_signature_is_cut():
    assert strip_quoted("Sí, gracias.\n\nEnviado desde mi iPhone\n\nEl lun escribió:\n> x") == "Sí, gracias."


def test_a_line_starting_with_on_inside_the_reply_is_kept():
    text = "On Monday she will be late.\nThanks.\n\nOn Mon, Mar 3 Main office wrote:\n> Closed."
    assert strip_quoted(text) == "On Monday she will be late.\nThanks."


REPLY_LINE = st.text(alphabet=st.characters(categories=["L", "N", "Zs"]) | st.sampled_from(".,¿?¡!"), max_size=60)


@given(st.lists(REPLY_LINE, min_size=1, max_size=6), st.text(max_size=200))
def test_any_reply_survives_and_no_quoted_text_does(lines, quoted):
    reply = "\n".join(lines)
    quote = "\n".join("> " + line for line in quoted.splitlines())
    text = f"{reply}\n\nOn Tue, 4 Mar 2025 at 09:00, Main office <reply@x.org> wrote:\n{quote}"
    assert strip_quoted(text) == reply.strip()
