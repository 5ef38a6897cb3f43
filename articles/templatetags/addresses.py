from django import template
from django.urls import get_script_prefix

from articles.models import slug_url

register = template.Library()


@register.filter
def tag_url(tag):
    """The tag's page, resolved once per worker (``{% url %}`` resolved it for every link)."""
    return slug_url(get_script_prefix(), "articles:tag", tag.slug)
