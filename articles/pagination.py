"""Counting long lists only as far as readers page."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .models import ListedArticle

LOOKAHEAD_PAGES = 5


class LookaheadPaginator(Paginator):
    """Counts a list only a few pages past the one asked for, in the query for that page.

    A tag or a person can have thousands of articles; counting them all would cost more the
    larger the archive grows. The asked-for page is read with the rows of the next few pages,
    plus one (a listing's rows are small, ``ArticleQuerySet.listed()``): that one query gives
    both the page and the count. Past the counted pages the reader sees "Side N" without a
    total and can still page on.
    """

    def __init__(self, object_list, per_page, *, asked_for=1, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.asked_for = asked_for
        self.start = (asked_for - 1) * per_page
        self.counted_to = rows_read(asked_for, per_page) - 1

    @cached_property
    def _ahead(self):
        return list(self.object_list[self.start : self.counted_to + 1])

    @cached_property
    def _found(self):
        if self._ahead or self.asked_for == 1:
            return self.start + len(self._ahead)
        # Asked for a page past the end: counted from the start, for the "not found".
        return self.object_list.count_to(self.counted_to + 1)

    @cached_property
    def count(self):
        return min(self._found, self.counted_to)

    @property
    def has_uncounted_pages(self):
        return self._found > self.counted_to

    def page(self, number):
        number = self.validate_number(number)
        if number != self.asked_for:
            return super().page(number)
        top = self.start + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._ahead[: top - self.start], number, self)


class CompiledListing:
    """A listing's rows (``ArticleQuerySet.listed()``) from ``query`` (a ``CompiledQuery``
    whose ``build`` takes ``start`` and ``stop``, the slice's bounds, and returns the sliced
    rows), as the paginator reads them: each slice's SQL compiled once per worker."""

    ordered = True

    def __init__(self, query, *values, **shape):
        self.query = query
        self.values = values
        self.shape = shape

    def __getitem__(self, rows):
        found = self.query.rows(*self.values, start=rows.start, stop=rows.stop, **self.shape)
        return [ListedArticle(*row) for row in found]

    def count_to(self, most):
        """How many rows there are, counting no further than ``most``."""
        return self.query.build(*self.values, start=0, stop=most, **self.shape).count()


def rows_read(asked_for, per_page):
    """How many of a list's first rows the paginator reads for the page ``asked_for``."""
    return (asked_for + LOOKAHEAD_PAGES) * per_page + 1


def asked_for_page(value):
    """The page number in ``?side=``, or 1 for anything else (the paginator judges it)."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1
