import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import freshness
from articles.markup import render_body
from articles.models import Article, Byline, Person, RelatedLink, Section
from articles.text import norwegian_slugify

WORDS = [
    *("regjeringen", "budsjett", "kommune", "sykehus", "streik", "valg", "Oslo", "Bergen"),
    *("klima", "strøm", "skole", "politi", "rente", "boliger", "fotball", "konsert"),
    *("forhandlinger", "Stortinget", "fylke", "næringsliv", "Ukraina", "Russland"),
    *("Nord-Korea", "Kina", "handel", "bompenger", "kollektivtrafikk", "arbeidsledighet"),
    *("helse", "eldreomsorg"),
]
PARAGRAPH = (
    "Saken har skapt debatt i flere uker, og både opposisjonen og fagforeningene har kommet "
    "med kraftig kritikk av forslaget som ble lagt fram tirsdag."
)


def body_variant(number):
    blocks = []
    for paragraph in range(12):
        if paragraph in (4, 9):
            blocks.append(f"## Mellomtittel {number}-{paragraph}")
        elif paragraph == 6:
            blocks.append("– Dette er et sitat fra en kilde som uttaler seg til avisen.")
        else:
            blocks.append(PARAGRAPH)
    return "\n\n".join(blocks)


class Command(BaseCommand):
    help = "Lager mange tilfeldige, publiserte artikler raskt (til ytelsestester)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="Antall artikler som skal lages.")
        parser.add_argument("--seed", type=int, default=8)

    @transaction.atomic
    def handle(self, *args, count, seed, **options):
        sections = list(Section.objects.all())
        if not sections:
            raise CommandError("Ingen seksjoner: kjør «manage.py load_demo» først.")
        rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
        start = Article.objects.count()
        existing = list(Person.objects.all())
        first = len(existing)  # numbered on from there, so a second run makes new slugs
        people = existing + Person.objects.bulk_create(
            Person(name=f"Journalist {first + n}", slug=f"journalist-{first + n}")
            for n in range(50)
        )
        bodies = [(body, render_body(body)) for body in map(body_variant, range(20))]
        now = timezone.now()
        articles = []
        for n in range(start, start + count):
            title = " ".join(rng.sample(WORDS, 6)).capitalize()
            body, body_html = rng.choice(bodies)
            status = Article.Status.DRAFT if n % 50 == 0 else Article.Status.PUBLISHED
            articles.append(
                Article(
                    title=title,
                    slug=f"{norwegian_slugify(title, max_length=180)}-{n}",
                    section=rng.choice(sections),
                    lead=f"{title}. {PARAGRAPH}",
                    body=body,
                    body_html=body_html,
                    status=status,
                    published_at=now - datetime.timedelta(minutes=rng.randint(5, 3 * 525_600)),
                )
            )
        articles = Article.objects.bulk_create(articles, batch_size=1000)

        Byline.objects.bulk_create(
            (
                Byline(article=article, person=person, position=position)
                for article in articles
                for position, person in enumerate(rng.sample(people, rng.randint(1, 2)))
            ),
            batch_size=2000,
        )
        tags = [
            Tag.objects.get_or_create(name=word.capitalize(), defaults={"slug": None})[0]
            for word in WORDS
        ]
        article_type = ContentType.objects.get_for_model(Article)
        TaggedItem.objects.bulk_create(
            (
                TaggedItem(tag=tag, content_type=article_type, object_id=article.pk)
                for article in articles
                for tag in rng.sample(tags, 3)
            ),
            batch_size=2000,
        )
        RelatedLink.objects.bulk_create(
            (
                RelatedLink(from_article=article, to_article=other, position=0)
                for article, other in zip(articles[::3], articles[1::3], strict=False)
            ),
            batch_size=2000,
        )
        freshness.changed(Article, Person, Tag, Byline, TaggedItem, RelatedLink)
        self.stdout.write(f"Laget {len(articles)} artikler ({Article.objects.count()} i alt).")
