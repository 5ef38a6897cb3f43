"""RSS 2.0 feeds: the newest published articles (whole site, per section), corrections and PFU
rulings."""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import get_text_list

from ops.site_url import absolute_url

from .models import Article, ArticleUpdate, PfuRuling, Section

FEED_ITEMS = 30


class LatestArticlesFeed(Feed):
    """Links are absolute on SITE_URL already, so Django adds no host from the request."""

    feed_type = Rss201rev2Feed
    language = "nb"

    def title(self):
        return settings.NEWSROOM["SITE_NAME"]

    def description(self):
        return f"Siste nytt fra {settings.NEWSROOM['SITE_NAME']}"

    def link(self):
        return absolute_url(reverse("articles:front"))

    def feed_url(self):
        return absolute_url(reverse("articles:feed"))

    def feed_copyright(self):
        return f"© {settings.NEWSROOM['SITE_NAME']}"

    def articles(self):
        return Article.objects.published().for_listing().prefetch_related("tags")

    def items(self):
        return self.articles()[:FEED_ITEMS]

    # A moved or re-dated article keeps its URL history (redirects) and must not show up as a
    # new story in feed readers, so its identity is its primary key, not its address.
    item_guid_is_permalink = False

    def item_guid(self, item):
        return f"urn:{settings.NEWSROOM['SITE_NAME'].lower()}:artikkel:{item.pk}"

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers show an item's description as HTML; the lead is plain text, so a lead
        # that reads "<img …>" must arrive as those characters, not as an element.
        return escape(item.lead)

    def item_author_name(self, item):
        names = [person.name for person in item.ordered_bylines()]
        return get_text_list(names, "og") or None

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    def item_enclosures(self, item):
        url = item.og_image_url
        if not url:
            return []
        # Length 0: the RSS Best Practices Profile's value for a size not known without
        # reading the file, which a feed request should not do for every item.
        mime_type = mimetypes.guess_type(url)[0] or "image/jpeg"
        return [Enclosure(absolute_url(url), "0", mime_type)]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at if item.shows_update else None


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, section):
        return f"{section.name} – {settings.NEWSROOM['SITE_NAME']}"

    def description(self, section):
        return section.description or f"Siste nytt i {section.name} fra {super().title()}"

    def link(self, section):
        return absolute_url(section.get_absolute_url())

    def feed_url(self, section):
        return absolute_url(reverse("articles:section_feed", kwargs={"slug": section.slug}))

    def items(self, section):
        return self.articles().filter(section=section)[:FEED_ITEMS]


class PressEthicsFeed(Feed):
    """A feed of notes about published articles; each item links to its article."""

    feed_type = Rss201rev2Feed
    language = "nb"
    item_guid_is_permalink = False
    page_name = None  # the URL name of the page the feed follows

    def link(self):
        return absolute_url(reverse(f"articles:{self.page_name}"))

    def item_link(self, item):
        return absolute_url(item.article.get_absolute_url())


class CorrectionsFeed(PressEthicsFeed):
    page_name = "corrections"

    def title(self):
        return f"Rettelser – {settings.NEWSROOM['SITE_NAME']}"

    def description(self):
        return f"Alle rettelser i {settings.NEWSROOM['SITE_NAME']}, nyeste først"

    def feed_url(self):
        return absolute_url(reverse("articles:corrections_feed"))

    def items(self):
        return ArticleUpdate.objects.published_corrections()[:FEED_ITEMS]

    def item_guid(self, item):
        return f"urn:{settings.NEWSROOM['SITE_NAME'].lower()}:rettelse:{item.pk}"

    def item_title(self, item):
        return f"Rettelse: {item.article.title}"

    def item_description(self, item):
        return escape(item.text)

    def item_pubdate(self, item):
        return item.created_at


class PfuRulingsFeed(PressEthicsFeed):
    page_name = "pfu_rulings"

    def title(self):
        return f"PFU-uttalelser – {settings.NEWSROOM['SITE_NAME']}"

    def description(self):
        return f"Uttalelser fra Pressens Faglige Utvalg om {settings.NEWSROOM['SITE_NAME']}"

    def feed_url(self):
        return absolute_url(reverse("articles:pfu_feed"))

    def items(self):
        return PfuRuling.objects.published()[:FEED_ITEMS]

    def item_guid(self, item):
        return f"urn:{settings.NEWSROOM['SITE_NAME'].lower()}:pfu:{item.pk}"

    def item_title(self, item):
        return f"{item.get_outcome_display()}: {item.article.title} (PFU-sak {item.case_number})"

    def item_description(self, item):
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.created_at
