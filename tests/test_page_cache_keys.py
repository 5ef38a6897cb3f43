"""One page, one cache entry: shared links with tracking parameters, or a Host with a port,
are the same page; any other parameter makes another page."""

import pytest
from django.core.exceptions import DisallowedHost
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from ops.pagecache import is_tracking, page_key

TRACKING = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "fbclid", "gclid"]
TRACKING += ["dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "igshid", "ref_src"]

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(
    lambda name: not is_tracking(name)
)
values = st.text(max_size=12)
parameters = st.lists(st.tuples(names, values), max_size=4, unique_by=lambda pair: pair[0])
tracking = st.lists(st.tuples(st.sampled_from(TRACKING), values), min_size=1, max_size=4)


def key(query, host="www.example.no", path="/verden/"):
    request = RequestFactory(HTTP_HOST=host).get(path, query)
    return page_key(request)


@pytest.fixture(autouse=True)
def hosts(settings):
    settings.ALLOWED_HOSTS = ["www.example.no", "annen.example.no"]


@given(parameters, tracking, st.randoms())
def test_tracking_parameters_never_change_the_key(kept, added, random):
    mixed = kept + added
    random.shuffle(mixed)
    assert key(mixed) == key(kept)


@given(parameters, names, values)
def test_any_other_parameter_changes_the_key(kept, name, value):
    other = [(n, v) for n, v in kept if n != name]
    assert key([*other, (name, value)]) != key(other)
    changed_value = [*other, (name, value + "x")]
    assert key(changed_value) != key([*other, (name, value)])


@given(parameters, st.randoms())
def test_the_order_of_parameters_does_not_matter(kept, random):
    shuffled = list(kept)
    random.shuffle(shuffled)
    assert key(shuffled) == key(kept)


def test_repeated_parameters_keep_their_order():
    assert key([("a", "1"), ("a", "2")]) != key([("a", "2"), ("a", "1")])


def test_the_port_in_the_host_is_not_part_of_the_key():
    assert key({}, host="www.example.no:8443") == key({}, host="www.example.no")
    assert key({}, host="annen.example.no") != key({}, host="www.example.no")


def test_different_pages_have_different_keys():
    assert key({}, path="/verden/") != key({}, path="/innenriks/")
    assert key({"side": "2"}) != key({})
    assert key({"q": "valg"}, path="/sok/") != key({"q": "Valg"}, path="/sok/")


def test_a_host_not_allowed_is_refused_even_for_an_address_seen_before():
    key({})
    with pytest.raises(DisallowedHost):
        key({}, host="ondsinnet.example.com")


def test_a_parameter_named_tracking_later_leaves_the_key_at_once(settings):
    with_campaign = key({"kampanje": "jul"})
    assert with_campaign != key({})

    settings.PAGE_CACHE_IGNORED_PARAMETERS = [*settings.PAGE_CACHE_IGNORED_PARAMETERS, "kampanje"]

    assert key({"kampanje": "jul"}) == key({})
