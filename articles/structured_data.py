"""What search engines and social networks read about an article: schema.org JSON-LD."""

import functools
import json

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ops.site_url import absolute_url

LOGO = {"path": "img/logo.png", "width": 600, "height": 60}

# The escapes of django.utils.html.json_script, whose <script> is always type="application/json".
JSON_SCRIPT_ESCAPES = ((">", "\\u003E"), ("<", "\\u003C"), ("&", "\\u0026"))


def share_image_url(article):
    """Absolute URL of the 1200×630 image shown when the article is shared, or None.

    og:image, the large Twitter card and the JSON-LD ``image`` all follow from it.
    """
    url = article.og_image_url
    return absolute_url(url) if url else None


def modified_time(article):
    """The change readers were told about ('Oppdatert'), else the publish time."""
    return article.updated_at if article.shows_update else article.published_at


def w3c_datetime(value):
    """``2023-09-12T14:05:00+02:00``: Oslo time with its offset, to the second."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def publisher():
    """The newspaper as schema.org describes it: the same on every page, so built once."""
    return _publisher(settings.SITE_URL)


@functools.cache
def _publisher(site_url):
    about = absolute_url(reverse("articles:about"))
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM["SITE_NAME"],
        "url": absolute_url(reverse("articles:front")),
        "correctionsPolicy": absolute_url(reverse("articles:corrections")),
        "ethicsPolicy": about,
        "masthead": about,
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static(LOGO["path"])),
            "width": LOGO["width"],
            "height": LOGO["height"],
        },
    }


def author(person):
    return {
        "@type": "Organization" if person.is_agency else "Person",
        "name": person.name,
        "url": absolute_url(person.get_absolute_url()),
    }


def news_article(article):
    """The NewsArticle dict for a published article; uses the prefetches of ``for_page()``."""
    page_url = absolute_url(article.get_absolute_url())
    organization = publisher()
    authors = [author(person) for person in article.ordered_bylines()]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.lead,
        "url": page_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": page_url},
        "datePublished": w3c_datetime(article.published_at),
        "dateModified": w3c_datetime(modified_time(article)),
        "author": authors or [organization],
        "publisher": organization,
        "articleSection": article.section.name,
        "inLanguage": "nb",
    }
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    image = share_image_url(article)
    if image:
        data["image"] = [image]
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": update.text,
            "datePublished": w3c_datetime(update.created_at),
        }
        for update in article.shown_updates
        if update.is_correction
    ]
    if corrections:
        data["correction"] = corrections
    # schema.org has no type for a press council's ruling; a Comment on the article carries it.
    rulings = [
        {
            "@type": "Comment",
            "name": f"PFU-sak {ruling.case_number}: {ruling.get_outcome_display()}",
            "text": ruling.summary,
            "dateCreated": ruling.decided_on.isoformat(),
            "url": ruling.decision_url,
            "author": {"@type": "Organization", "name": "Pressens Faglige Utvalg"},
        }
        for ruling in article.shown_pfu_rulings
    ]
    if rulings:
        data["comment"] = rulings
    return data


def json_ld_script(data):
    """A <script type="application/ld+json"> that no string inside ``data`` can break out of."""
    escaped = json.dumps(data, ensure_ascii=False)
    # str.replace, not str.translate: translate looks up every character in a dict.
    for character, escape in JSON_SCRIPT_ESCAPES:
        escaped = escaped.replace(character, escape)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(escaped),  # noqa: S308 - <, > and & are \u-escaped above, as json_script does
    )
