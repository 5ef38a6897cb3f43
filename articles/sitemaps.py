"""Sitemaps for search engines: only pages a reader can open, i.e. built on published articles."""

import dataclasses
import datetime
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from ops.site_url import absolute_url, site_domain, site_protocol

from .models import AboutPage, Article, ArticleUpdate, Person, PfuRuling, Section

# Google News only reads articles published in the last two days, at most 1000 of them.
NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_LIMIT = 1000


def with_latest_publication(queryset, articles_lookup):
    """Only rows that have published articles, each annotated with the newest one's time and
    the last time one of them was saved (an edited title changes the listing too)."""
    published = Q(**{f"{articles_lookup}__in": Article.objects.published()})
    return queryset.annotate(
        latest_published_at=Max(f"{articles_lookup}__published_at", filter=published),
        latest_modified_at=Max(f"{articles_lookup}__modified_at", filter=published),
    ).filter(latest_published_at__isnull=False)


class SiteSitemap(Sitemap):
    """Locations on SITE_URL, not on the host the request named."""

    def get_protocol(self, protocol=None):
        return site_protocol()

    def get_domain(self, site=None):
        return site_domain()


def sitemap_index(request, **kwargs):
    """Django's sitemap index, its locations moved from the request's host to SITE_URL."""
    response = sitemap_views.index(request, **kwargs)
    response.context_data["sitemaps"] = [
        dataclasses.replace(item, location=absolute_url(_path_and_query(item.location)))
        for item in response.context_data["sitemaps"]
    ]
    return response


def _path_and_query(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class ArticleSitemap(SiteSitemap):
    def items(self):
        return Article.objects.published().for_listing()

    def lastmod(self, article):
        # A scheduled article is saved before it goes out; it changes for readers when published.
        return max(article.modified_at, article.published_at)

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default walk over the whole archive.
        latest = Article.objects.published().aggregate(
            modified=Max("modified_at"), published=Max("published_at")
        )
        return max(filter(None, latest.values()), default=None)


class ListingSitemap(SiteSitemap):
    """Section, topic and person pages, last modified when one of their articles was published
    or saved: the content's own times, never when the rows were loaded."""

    def lastmod(self, item):
        return max(item.latest_published_at, item.latest_modified_at)


class SectionSitemap(ListingSitemap):
    def items(self):
        return with_latest_publication(Section.objects.all(), "articles").order_by(
            "position", "name"
        )


class TopicSitemap(ListingSitemap):
    def items(self):
        return with_latest_publication(Tag.objects.all(), "article").order_by("name")

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class PersonSitemap(ListingSitemap):
    def items(self):
        return with_latest_publication(Person.objects.all(), "articles").order_by("name", "pk")


class PaperSitemap(SiteSitemap):
    """The paper's own pages (who is responsible, corrections, PFU rulings), each last
    modified when what it shows last changed; no date when it shows nothing of its own yet."""

    def items(self):
        return ["articles:about", "articles:corrections", "articles:pfu_rulings"]

    def location(self, name):
        return reverse(name)

    def get_latest_lastmod(self):
        # Each page's date once, not twice as Django's default asks for it.
        return max(filter(None, map(self.lastmod, self.items())), default=None)

    def lastmod(self, name):
        if name == "articles:about":
            return AboutPage.objects.aggregate(latest=Max("modified_at"))["latest"]
        if name == "articles:corrections":
            shown = ArticleUpdate.objects.published_corrections()
        else:
            shown = PfuRuling.objects.published()
        # Each entry names its article: a changed headline changes the page too.
        latest = shown.order_by().aggregate(
            added=Max("created_at"), article_saved=Max("article__modified_at")
        )
        return max(filter(None, latest.values()), default=None)


class NewsSitemap(SiteSitemap):
    """Google News sitemap; rendered by templates/sitemaps/news.xml with the news namespace."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return Article.objects.published().for_listing().filter(published_at__gte=since)


SITEMAPS = {
    "seksjoner": SectionSitemap,
    "artikler": ArticleSitemap,
    "tema": TopicSitemap,
    "personer": PersonSitemap,
    "sider": PaperSitemap,
}
NEWS_SITEMAPS = {"nyheter": NewsSitemap}
