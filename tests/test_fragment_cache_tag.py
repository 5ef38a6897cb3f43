"""The site's {% cache %} (ops/templatetags/fragment_cache.py) alone: Django's tag, with each
thread's cache handle kept."""

import re

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template import Context, Engine, Template, TemplateSyntaxError

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
    return Template("{% load cache %}" + source).render(Context(context))


def test_templates_load_the_sites_tag():
    template = Template("{% load cache %}{% cache 60 piece using='fragments' %}x{% endcache %}")
    assert isinstance(template.nodelist[-1], FragmentCacheNode)


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
