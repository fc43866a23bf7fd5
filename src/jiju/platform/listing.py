"""Every list page's sorting and paging, done once: ?sort=<column key> (or -key for descending)
and ?page=<n>, with the rest of the query kept, so no page renders thousands of rows at once.

A queryset is ordered in the database by the field path its `orders` names for a column; a list
(rows computed in Python, such as target progress) is ordered by what the column shows, with
empty values last either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest

from jiju.platform.tables import Col


@dataclass(frozen=True)
class Listing:
    """One page of a sorted list, with what its headers and pager need to link on."""

    items: QuerySet | Sequence  # all of them, sorted: what the list's export writes
    page: Page
    sort: str
    sortable: frozenset[str]
    query: str  # the request's query without the page, for the pager's links
    sort_query: str  # the request's query without the page and the sort, for the headers' links


def listing(
    request: HttpRequest,
    items: QuerySet | Sequence,
    columns: Sequence[Col],
    orders: Mapping[str, str] | None = None,
    default: str = "",
) -> Listing:
    """Sort `items` by the requested column, if it may be sorted, and cut the requested page.

    `orders` maps a column's key to the field path a queryset is ordered by; a Python list may be
    sorted by any of its columns. An unknown sort is ignored (the list keeps its own order).
    """
    by_key = {c.key: c for c in columns}
    sortable = frozenset(orders or ()) if isinstance(items, QuerySet) else frozenset(by_key)
    sort = request.GET.get("sort") or default
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    if key not in sortable:
        sort, key = "", ""
    if key and isinstance(items, QuerySet):
        path = F(orders[key])
        then = items.query.order_by or items.model._meta.ordering  # the list's own order breaks ties
        items = items.order_by(path.desc(nulls_last=True) if descending else path.asc(nulls_last=True), *then, "pk")
    elif key:
        items = _sorted(items, by_key[key], descending)
    page = Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    without_sort = query.copy()
    without_sort.pop("sort", None)
    return Listing(items, page, sort, sortable, query.urlencode(), without_sort.urlencode())


def list_context(
    request: HttpRequest,
    items: QuerySet | Sequence,
    columns: Sequence[Col],
    orders: Mapping[str, str] | None = None,
    default: str = "",
) -> dict:
    """A list page's template context: this page's rows, the pager's `page` and `query`, the
    `listing` the headers sort by, and the columns by key (`cols.zone`) for hand-laid headers."""
    rows_listing = listing(request, items, columns, orders, default)
    return {
        "rows": rows_listing.page.object_list,
        "page": rows_listing.page,
        "listing": rows_listing,
        "query": rows_listing.query,
        "cols": {c.key: c for c in columns},
    }


def _sorted(items: Sequence, column: Col, descending: bool) -> list:
    present = [(column.show(item), item) for item in items]
    filled = [pair for pair in present if pair[0] not in (None, "")]
    empty = [item for value, item in present if value in (None, "")]
    filled.sort(key=lambda pair: pair[0], reverse=descending)
    return [item for _, item in filled] + empty
