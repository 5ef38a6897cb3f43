import datetime
import importlib

import factory
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import Article, ArticleUpdate, Byline, Image, Person, RelatedLink, Section

PASSWORD = "riktig-hest-batteri-stift"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Seksjon {n}")
    slug = factory.Sequence(lambda n: f"seksjon-{n}")
    position = factory.Sequence(int)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Faker("name", locale="no_NO")
    title = "journalist"

    class Params:
        agency = factory.Trait(kind=Person.Kind.AGENCY, name="NTB", title="")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image
        skip_postgeneration_save = True

    file = factory.django.ImageField(width=1600, height=900, color="steelblue", format="JPEG")
    alt_text = factory.Faker("sentence", nb_words=5, locale="no_NO")
    caption = factory.Faker("sentence", nb_words=10, locale="no_NO")
    credit = "NTB"

    @factory.post_generation
    def renditions(self, create, extracted, **kwargs):
        # What the commit of its save does; a test runs inside one transaction that never
        # commits (tests/test_image_pages.py checks the commit itself).
        if create:
            self.ensure_renditions()


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Faker("sentence", nb_words=6, locale="no_NO")
    section = factory.SubFactory(SectionFactory)
    lead = factory.Faker("paragraph", nb_sentences=2, locale="no_NO")
    body = factory.Faker("paragraph", nb_sentences=5, locale="no_NO")
    status = Article.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(hours=1)
            ),
        )
        scheduled = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() + datetime.timedelta(hours=1)
            ),
        )

    @factory.post_generation
    def bylines(self, create, people, **kwargs):
        for position, person in enumerate(people or []):
            Byline.objects.create(article=self, person=person, position=position)

    @factory.post_generation
    def tags(self, create, names, **kwargs):
        if names:
            self.tags.add(*names)

    @factory.post_generation
    def related(self, create, articles, **kwargs):
        for position, article in enumerate(articles or []):
            RelatedLink.objects.create(from_article=self, to_article=article, position=position)


def newsroom_group(name):
    """The group made by the data migrations; remade after a transactional test flushed it."""
    if not Group.objects.filter(name=name).exists():
        importlib.import_module("articles.migrations.0006_editor_groups").create_groups(apps, None)
        for migration in (
            "0010_newsroom_roles_and_colleagues",
            "0014_pfu_rulings_and_about_page",
        ):
            importlib.import_module(f"articles.migrations.{migration}").grant(apps, None)
    return Group.objects.get(name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    password = factory.django.Password(PASSWORD)
    is_staff = True


class JournalistFactory(UserFactory):
    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        self.groups.add(newsroom_group("Journalist"))


class EditorFactory(UserFactory):
    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        self.groups.add(newsroom_group("Redaktør"))


class ArticleUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleUpdate

    article = factory.SubFactory(ArticleFactory)
    kind = ArticleUpdate.Kind.UPDATE
    text = factory.Faker("sentence", locale="no_NO")
