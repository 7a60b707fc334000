"""Pages of the API's lists: numbered pages near the start, a cursor for going further.

A numbered page is read with OFFSET, which costs more the deeper it is; so only the first
`MAX_DEPTH` records can be reached by page number. A list with a cursor (the statements) goes
on from any record: the cursor is the position of the last record sent, in the list's order, and
the next page is the records after it (a keyset), as fast at the end as at the start. Records
added or removed meanwhile never make a walk by cursor repeat or skip another record."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
# The deepest record a page number reaches (page × page_size); further on, a cursor.
MAX_DEPTH = 10_000
MAX_NUMBER = 2**63 - 1


class PageError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Keyset:
    """A list's order as (field, descending) pairs, ending with a unique field (the pk)."""

    fields: Sequence[tuple[str, bool]]

    def ordering(self) -> list[str]:
        return [f"-{name}" if descending else name for name, descending in self.fields]

    def position(self, record: Model) -> list:
        values = []
        for name, _descending in self.fields:
            value = record
            for part in name.split("__"):
                value = getattr(value, part)
            values.append(value.isoformat() if isinstance(value, datetime.date) else value)
        return values

    def after(self, position: list) -> Q:
        """The records that come after this position in the order."""
        condition = Q()
        for index, (name, descending) in enumerate(self.fields):
            step = Q(**{f"{name}__{'lt' if descending else 'gt'}": position[index]})
            for earlier, _descending in self.fields[:index]:
                step &= Q(**{earlier: position[self._index(earlier)]})
            condition |= step
        return condition

    def _index(self, name: str) -> int:
        return [field for field, _descending in self.fields].index(name)

    def encode(self, record: Model) -> str:
        text = json.dumps(self.position(record), separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> list:
        message = "cursor was not understood: use the next_cursor of an earlier answer"
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            position = json.loads(text)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise PageError(message) from None
        if not isinstance(position, list) or len(position) != len(self.fields):
            raise PageError(message)
        for value in position:
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise PageError(message)
            if isinstance(value, int) and not 0 <= value <= MAX_NUMBER:
                raise PageError(message)
            if isinstance(value, str):
                try:
                    datetime.date.fromisoformat(value)
                except ValueError:
                    raise PageError(message) from None
        return position


def page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("page_size", str(DEFAULT_PAGE_SIZE)))
    except ValueError:
        raise PageError("page and page_size must be whole numbers") from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise PageError(f"page must be at least 1 and page_size between 1 and {MAX_PAGE_SIZE}")
    return size


def numbered_page(request: HttpRequest, queryset: QuerySet, *, further: str) -> Page:
    """The requested numbered page; `further` says how to reach records beyond MAX_DEPTH."""
    size = page_size(request)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        raise PageError("page and page_size must be whole numbers") from None
    if number < 1:
        raise PageError(f"page must be at least 1 and page_size between 1 and {MAX_PAGE_SIZE}")
    if number * size > MAX_DEPTH:
        raise PageError(
            f"page {number} is too deep: page numbers reach the first {MAX_DEPTH} records "
            f"(page × page_size ≤ {MAX_DEPTH}); {further}"
        )
    paginator = Paginator(queryset, size)
    if number > max(paginator.num_pages, 1):
        raise PageError(f"page {number} does not exist", status=404)
    return paginator.page(number)


def link(request: HttpRequest, **params: str) -> str:
    query = request.GET.copy()
    for name, value in params.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_meta(request: HttpRequest, page: Page) -> dict:
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(request, page=str(page.next_page_number())) if page.has_next() else None,
        "previous": (
            link(request, page=str(page.previous_page_number())) if page.has_previous() else None
        ),
    }
