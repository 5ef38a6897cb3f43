from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from articles.jinja import jinja
from articles.structured_data import (
    json_ld_script,
    modified_time,
    news_article,
    share_image_url,
    w3c_datetime,
)
from ops.site_url import absolute_url

register = template.Library()
register.filter("w3c_datetime", w3c_datetime)


@register.simple_tag
def article_meta(article):
    """Canonical link, description, Open Graph, Twitter card and JSON-LD for an article page:
    templates/jinja2/article_meta.html (Jinja2, as the article itself: see article_page.py).

    Only a published article is described to search engines and social networks; any other
    (a preview of a draft, say) gets ``noindex`` and nothing more.
    """
    html = jinja().get_template("article_meta.html").render(meta_values(article))
    return mark_safe(html)  # noqa: S308 - the template escapes every value it prints


def meta_values(article):
    """What templates/jinja2/article_meta.html prints of ``article``."""
    meta = {
        "article": article,
        # Shown twice (description and og:description): truncated once.
        "description": Truncator(article.lead).chars(300),
        "page_url": absolute_url(article.get_absolute_url()),
        "public": article.is_published,
        "w3c_datetime": w3c_datetime,
    }
    if not meta["public"]:
        return meta
    return {
        **meta,
        "site_name": settings.NEWSROOM["SITE_NAME"],
        "modified_at": modified_time(article),
        "image_url": share_image_url(article),
        "author_urls": [
            absolute_url(person.get_absolute_url()) for person in article.ordered_bylines()
        ],
        "structured_data": json_ld_script(news_article(article)),
    }


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's own address on SITE_URL: its path plus only what picks its content.

    A search keeps its words and a later page its number (each is a page of its own); any
    other query parameter (tracking, a stray ``?side=1``) is left out.
    """
    params = {}
    if query := getattr(context.get("query"), "text", ""):
        params["q"] = query
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        params["side"] = page.number
    path = context["request"].path
    return absolute_url(f"{path}?{urlencode(params)}" if params else path)
