"""The Jinja2 environment of the reader templates that Django's engine made slow to render
(templates/jinja2/: teasers, the article's own fragment, its meta tags): the issue allows
Django's Jinja2 where the engine is the cost. It prints every value escaped exactly as Django's
templates do, so the HTML is the same whichever engine wrote it.
"""

import functools
import html

import jinja2
from django.conf import settings
from django.utils import timezone
from markupsafe import Markup

from .text import oslo_time


@functools.cache
def jinja():
    """The environment, built once per worker. A teaser not kept yet is rendered on listing
    misses, search pages and first renders, and Django's engine took twice as long."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(settings.BASE_DIR / "templates" / "jinja2"),
        autoescape=True,
        finalize=escape_as_django,
        keep_trailing_newline=True,
        auto_reload=settings.DEBUG,
    )
    environment.filters.update(iso_time=iso_time, oslo_time=oslo_time, names=names)
    return environment


def escape_as_django(value):
    """Django's ``conditional_escape`` without its lazy-string wrapper: ``'`` as ``&#x27;``
    and ``"`` as ``&quot;``, where Jinja2's markupsafe writes ``&#39;`` and ``&#34;``."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped as Django's escape() does


def iso_time(moment):
    """As Django's ``date:"c"`` writes it, in the site's time zone."""
    return timezone.localtime(moment).isoformat()


def names(people):
    """«Kari», «Kari og Ola», «Kari, Ola og Per»."""
    *others, last = people
    return f"{', '.join(others)} og {last}" if others else last
