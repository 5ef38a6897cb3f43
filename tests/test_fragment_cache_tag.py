"""The site's {% cache %} (ops/templatetags/fragment_cache.py) alone: Django's tag, with each
thread's cache handle kept."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.loader import get_template
from django.templatetags import cache

from ops.templatetags.fragment_cache import FragmentCacheNode

calls = []


class Counter:
    def __str__(self):
        calls.append(1)
        return str(len(calls))


@pytest.fixture(autouse=True)
def _counted():
    calls.clear()
    caches["fragments"].clear()


def render(source, **context):
    return Template("{% load fragment_cache %}" + source).render(Context(context))


@pytest.mark.parametrize("name", ["base.html", "articles/article_detail.html"])
def test_the_sites_pages_keep_their_pieces_with_this_tag(name):
    nodes = get_template(name).template.nodelist.get_nodes_by_type(cache.CacheNode)
    assert nodes
    assert all(type(node) is FragmentCacheNode for node in nodes)


def test_no_template_loads_djangos_own_cache_tag():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    assert not [path for path in templates if "{% load cache" in path.read_text()]


def test_a_fragment_is_rendered_once_then_read_from_its_cache_under_djangos_key():
    source = "{% cache 60 piece version using='fragments' %}{{ counter }}{% endcache %}"
    assert render(source, counter=Counter(), version="a") == "1"
    assert render(source, counter=Counter(), version="a") == "1"
    assert render(source, counter=Counter(), version="b") == "2"
    assert caches["fragments"].get(make_template_fragment_key("piece", ["a"])) == "1"


def test_without_using_the_default_cache_keeps_it():
    assert render("{% cache 60 piece %}{{ counter }}{% endcache %}", counter=Counter()) == "1"
    assert caches["default"].get(make_template_fragment_key("piece")) == "1"


def test_a_timeout_of_zero_keeps_nothing():
    source = "{% cache 0 piece using='fragments' %}{{ counter }}{% endcache %}"
    assert render(source, counter=Counter()) == "1"
    assert render(source, counter=Counter()) == "2"


@pytest.mark.parametrize(
    "source",
    [
        "{% cache missing piece %}{% endcache %}",
        "{% cache 'soon' piece %}{% endcache %}",
        "{% cache 60 piece using=missing %}{% endcache %}",
        "{% cache 60 piece using='nowhere' %}{% endcache %}",
    ],
)
def test_mistakes_are_reported_as_djangos_tag_reports_them(source):
    djangos = Engine(libraries={"cache": "django.templatetags.cache"})
    with pytest.raises(TemplateSyntaxError) as expected:
        djangos.from_string("{% load cache %}" + source).render(Context())
    with pytest.raises(TemplateSyntaxError, match=re.escape(str(expected.value))):
        render(source)


def test_a_change_of_the_cache_settings_reaches_the_tag(settings):
    source = "{% cache 60 piece using='fragments' %}{{ counter }}{% endcache %}"
    assert render(source, counter=Counter()) == "1"
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "another",
        },
    }
    assert render(source, counter=Counter()) == "2"  # a new, empty cache
