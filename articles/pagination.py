"""Counting long lists only as far as readers page."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LOOKAHEAD_PAGES = 5


class LookaheadPaginator(Paginator):
    """Counts a list only a few pages past the one asked for.

    A tag or a person can have thousands of articles; counting them all would cost more the
    larger the archive grows. Past the counted pages the reader sees "Side N" without a total
    and can still page on.
    """

    def __init__(self, object_list, per_page, *, asked_for=1, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted_to = (asked_for + LOOKAHEAD_PAGES) * per_page

    @cached_property
    def _found(self):
        # Any rows will do for a count: no ordering, so PostgreSQL picks the cheapest plan.
        return self.object_list.order_by().values("pk")[: self.counted_to + 1].count()

    @cached_property
    def count(self):
        return min(self._found, self.counted_to)

    @property
    def has_uncounted_pages(self):
        return self._found > self.counted_to


def asked_for_page(value):
    """The page number in ``?side=``, or 1 for anything else (the paginator judges it)."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1
