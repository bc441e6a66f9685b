"""Streaming CSV and JSON downloads: rows go out as the database yields them.

An open-data file may hold every unit of the country over years; built in memory it
would hold a worker for the whole download. These helpers take an iterator of rows
(a ``.values_list(...).iterator()`` or a generator over grouped queries) and answer a
``StreamingHttpResponse`` that writes one row at a time.

CSV is written for Excel as much as for programs: UTF-8 with a byte-order mark (without
it Excel reads Vietnamese as Windows-1252 garbage), CRLF line ends (RFC 4180), and every
text cell that a spreadsheet would take for a formula neutralized the way core.excel does
(OWASP "CSV Injection"): a cell beginning with = + - @ tab or CR gets a leading
apostrophe, which spreadsheets show as text. Numbers are written as they are (a negative
number is data, not a formula).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse

from .excel import FORMULA_STARTS

BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"


def neutralize(value: Any) -> Any:
    """*value* as a CSV cell: a string a spreadsheet would run as a formula quoted as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """A file-like sink for csv.writer that hands back each written line."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file, line by line, as UTF-8 bytes with a BOM before the header."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield (BOM + writer.writerow([neutralize(h) for h in header])).encode()
    for row in rows:
        cells = ["" if v is None else neutralize(v) for v in row]
        yield writer.writerow(cells).encode()


def json_lines(
    head: dict[str, Any], rows: Iterable[dict[str, Any]], *, key: str = "data"
) -> Iterator[bytes]:
    """A JSON object: the members of *head*, then *key* holding *rows* as an array,
    written one row at a time (the output is one valid JSON document)."""
    encoder = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":"))
    opening = encoder.encode(head)[:-1]  # "{...}" without its closing brace
    yield (opening + ("," if head else "") + encoder.encode(key) + ":[").encode()
    first = True
    for row in rows:
        yield (("" if first else ",\n") + encoder.encode(row)).encode()
        first = False
    yield b"]}\n"


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(
    head: dict[str, Any],
    rows: Iterable[dict[str, Any]],
    *,
    key: str = "data",
    filename: str | None = None,
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(json_lines(head, rows, key=key), content_type=JSON_TYPE)
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def as_dicts(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[dict[str, Any]]:
    """Rows as dicts keyed by *header*, lazily (the JSON form of a CSV's rows)."""
    for row in rows:
        yield dict(zip(header, row, strict=True))
