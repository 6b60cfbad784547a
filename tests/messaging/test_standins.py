"""The Twilio stand-in itself: what it reports about the clients the tests drive against it."""

from __future__ import annotations

import pytest

from tests.messaging.standins import TwilioStandIn

CLIENT = ("127.0.0.1", 40000)


def _report(standin: TwilioStandIn, error: Exception) -> None:
    """Have the stand-in's server report `error` as if a request's handler had raised it."""
    try:
        raise error
    except Exception:
        standin.server.handle_error(None, CLIENT)


@pytest.mark.parametrize("error", [BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset by peer")])
def test_a_client_that_hung_up_is_not_reported(capsys, error):
    with TwilioStandIn("AC" + "1" * 32, "token") as standin:
        _report(standin, error)
    assert capsys.readouterr().err == ""


def test_an_error_of_the_stand_in_itself_is_still_printed(capsys):
    with TwilioStandIn("AC" + "1" * 32, "token") as standin:
        _report(standin, ValueError("the stand-in could not build its answer"))
    err = capsys.readouterr().err
    assert "ValueError: the stand-in could not build its answer" in err
    assert str(CLIENT) in err
