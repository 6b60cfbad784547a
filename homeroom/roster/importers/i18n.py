"""The importer's gettext: one catalogue lookup per distinct message and import, not one per problem.

A hostile file can raise millions of problems; Django's gettext finds the active language through an
asgiref Local on every call, which was half the time spent reading such a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import translation

_memo: ContextVar[dict[str, str] | None] = ContextVar("import_messages", default=None)


def gettext(message: str) -> str:
    memo = _memo.get()
    if memo is None:
        return translation.gettext(message)
    try:
        return memo[message]
    except KeyError:
        memo[message] = translated = translation.gettext(message)
        return translated


@contextmanager
def remembered_messages() -> Iterator[None]:
    """Within the block, each message is translated once (the language must not change inside it)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)
