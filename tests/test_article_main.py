"""The article on its page is written by Jinja2 (templates/jinja2/article_main.html): every
kind of article reads exactly as Django's templates wrote it before."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone

from articles import services
from articles.models import ArticleUpdate, PfuRuling, page_article
from tests.factories import (
    ArticleFactory,
    ArticleUpdateFactory,
    EditorFactory,
    ImageFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

# The article_main fragment as Django's templates wrote it, byline and notice inlined.
DJANGO_MARKUP = (Path(__file__).parent / "article_main_django.html").read_text()
JINJA_MARKUP = "{% load article_page %}\n{% article_main article %}"
ODD_TEXT = "Valg «i» Oslo & Viken: <b>\"Ja\"</b> – 'nei'"


def both(article):
    """The fragment as Django's templates and as Jinja2 write ``article``, read for its page."""
    context = {"article": page_article(article.pk), "site": settings.NEWSROOM}
    return (
        Template(DJANGO_MARKUP).render(Context(context)),
        Template(JINJA_MARKUP).render(Context(context)).removeprefix("\n"),
    )


def rule(article, outcome):
    services.save_pfu_ruling(
        ruling=PfuRuling(
            article=article,
            decided_on=datetime.date(2026, 11, 25),
            outcome=outcome,
            case_number=f"2026-{outcome[:3]}",
            summary=ODD_TEXT,
            decision_url="https://presse.no/pfu-sak/2026087/",
        ),
        by=EditorFactory(),
    )


@pytest.mark.parametrize("people", [0, 1, 2, 3])
def test_bylines_tags_and_odd_text_read_as_django_wrote_them(people):
    article = ArticleFactory(
        published=True,
        title=ODD_TEXT,
        lead=ODD_TEXT,
        bylines=[PersonFactory(name=f"{ODD_TEXT} {n}") for n in range(people)],
        tags=["Valg & «politikk»", "Oslo"] if people else [],
    )

    django, jinja = both(article)
    assert jinja == django
    assert "&lt;b&gt;&quot;Ja&quot;&lt;/b&gt; – &#x27;nei&#x27;" in jinja


@pytest.mark.parametrize("caption", ["", ODD_TEXT])
@pytest.mark.parametrize("credit", ["", "NTB"])
def test_the_lead_photo_reads_as_django_wrote_it(caption, credit):
    image = ImageFactory(alt_text=ODD_TEXT, caption="Bildets egen tekst", credit=credit)
    article = ArticleFactory(published=True, lead_image=image, lead_image_caption=caption)

    django, jinja = both(article)
    assert jinja == django
    assert "<figure>" in jinja


def test_an_old_updated_article_with_rulings_and_notes_reads_as_django_wrote_it():
    published = timezone.now() - datetime.timedelta(days=400)
    article = ArticleFactory(published=True, published_at=published)
    for outcome in (PfuRuling.Outcome.BREACH, PfuRuling.Outcome.CRITICISM):
        rule(article, outcome)
    ArticleUpdateFactory(article=article, text=ODD_TEXT, created_at=published)
    ArticleUpdateFactory(
        article=article, kind=ArticleUpdate.Kind.CORRECTION, created_at=timezone.now()
    )
    article.updated_at = timezone.now()
    article.save()

    django, jinja = both(article)
    assert jinja == django
    for shown in ("old-article-notice", "pfu-ruling--breach", "Rettelse", "Oppdatert <time"):
        assert shown in jinja


def test_a_scheduled_article_reads_as_django_wrote_it():
    django, jinja = both(ArticleFactory(scheduled=True))

    assert jinja == django
    assert "Planlagt publisert" in jinja
