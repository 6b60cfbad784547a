"""Page numbers for "Load more" lists: the same query string with the next `page`, so the link works without
JavaScript (it opens the next page) and with htmx (it appends the next page's rows in place)."""

from __future__ import annotations

from django.http import HttpRequest

MAX_PAGE = 10_000


def page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    return min(int(value), MAX_PAGE) if value.isdigit() and int(value) >= 1 else 1


def next_page_query(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page + 1)
    return query.urlencode()


def without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
