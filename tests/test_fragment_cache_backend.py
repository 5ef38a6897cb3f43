"""The fragments' cache (ops.cache_backends.FragmentCache): Django's LocMemCache, keeping text
unpickled and everything else pickled as Django's does."""

import pytest
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe


@pytest.fixture
def fragments():
    cache = caches["fragments"]
    cache.clear()
    return cache


def test_html_comes_back_as_the_same_safe_text(fragments):
    html = mark_safe("<p>Publisert</p>")
    fragments.set("piece", html)
    found = fragments.get("piece")
    assert found is html
    assert isinstance(found, SafeString)


def test_other_values_are_copies_a_request_cannot_change(fragments):
    fragments.set("rows", {"ids": [1, 2]})
    fragments.get("rows")["ids"].append(3)
    assert fragments.get("rows") == {"ids": [1, 2]}


def test_add_get_many_expiry_and_counting_as_djangos(fragments):
    assert fragments.add("piece", "a")
    assert not fragments.add("piece", "b")
    fragments.set("count", 1)
    assert fragments.incr("count") == 2
    assert fragments.get_many(["piece", "count", "missing"]) == {"piece": "a", "count": 2}
    fragments.set("gone", "x", timeout=-1)
    assert fragments.get("gone", "default") == "default"
    assert fragments.get("missing") is None
