"""Reads an HTML table of a rendered page by its id: header cells and rows keyed by their first cell."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any


@dataclass
class Table:
    caption: str
    head: list[tuple[str, str | None]]  # (text, scope) of each header cell
    body: list[list[tuple[str, str, str | None]]]  # (tag, text, scope) of each cell of each row

    @property
    def columns(self) -> list[str]:
        return [text for text, _scope in self.head]

    @property
    def rows(self) -> dict[str, list[str]]:
        """Row header → the row's other cells, as text."""
        return {row[0][1]: [text for _tag, text, _scope in row[1:]] for row in self.body}


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, Table] = {}
        self._table: Table | None = None
        self._in: str = ""
        self._row: list[Any] | None = None
        self._cell: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = self.tables[a.get("id") or str(len(self.tables))] = Table("", [], [])
        elif self._table is None:
            return
        elif tag in ("caption", "thead", "tbody"):
            self._in = tag
        elif tag == "tr":
            self._row = []
            if self._in == "tbody":
                self._table.body.append(self._row)
        elif tag in ("th", "td") and self._row is not None:
            self._cell = [tag, "", a.get("scope")]
            self._row.append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if self._table is None:
            return
        if tag in ("th", "td") and self._cell is not None:
            self._cell[1] = " ".join(self._cell[1].split())
            if self._in == "thead":
                self._table.head.append((self._cell[1], self._cell[2]))
            self._cell = None
        elif tag == "caption":
            self._table.caption = " ".join(self._table.caption.split())
            self._in = ""
        elif tag == "table":
            self._table.body = [[(str(tag), str(text), scope) for tag, text, scope in row] for row in self._table.body]
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[1] += data
        elif self._table is not None and self._in == "caption":
            self._table.caption += data


def html_table(html: str, table_id: str) -> Table:
    parser = _TableParser()
    parser.feed(html)
    return parser.tables[table_id]


# --- the world: six Lincoln families, each with a different outcome -----------------------------------------------
