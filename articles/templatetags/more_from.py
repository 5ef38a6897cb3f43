from django import template

from articles.fragments import recent_articles
from articles.teasers import Look, teasers

register = template.Library()


@register.simple_tag
def more_from(article):
    """The teasers of "Mer fra Dagsavisen" under ``article``: cached teasers in one lookup."""
    return teasers(article.footer_rows(recent_articles()), Look.FOOTER)
