import collections
import dataclasses
import datetime
import functools
import itertools
import uuid
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.core.validators import MaxLengthValidator
from django.db import connections, models, router, transaction
from django.db.models import Q, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, JSONArray, RowNumber
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from ops.compiled import CompiledQuery

from .markup import library_image_ids, render_body
from .photos import Image, delete_files_on_commit, dropped_file
from .text import ReaderText, accept_reader_text, norwegian_slugify, oslo_time, unique_slug

SLUG_FROM_NAME = _("Adressen. La stå tom for å lage den av navnet.")

# Several times the longest feature we print, and small enough that any such body, however
# it is encoded in the admin's form, stays far below DATA_UPLOAD_MAX_MEMORY_SIZE (settings).
BODY_MAX_LENGTH = 200_000

# First path segments the site uses for its own pages; a section with one of these slugs
# would never be reachable.
RESERVED_SECTION_SLUGS = {
    "admin", "forhandsvisning", "healthz", "media", "om-oss", "person", "pfu", "rettelser",
    "rss", "sok", "static", "tema",
}  # fmt: skip


class Section(ReaderText):
    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, blank=True, help_text=SLUG_FROM_NAME
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("plassering"), default=0, help_text=_("Lavere tall vises først på forsiden.")
    )
    on_front = models.BooleanField(
        _("blokk på forsiden"),
        default=True,
        help_text=_("Vis de nyeste sakene fra seksjonen i en egen blokk på forsiden."),
    )
    opinion = models.BooleanField(
        _("meninger"),
        default=False,
        help_text=_(
            "Debatt og kommentarer: sakene vises med skribentens navn, og de kommer bare øverst "
            "på forsiden når desken plasserer dem der."
        ),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("seksjon")
        verbose_name_plural = _("seksjoner")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url(get_script_prefix(), "articles:section", self.slug)

    def clean(self):
        # An empty slug is made from the name on save: that one must be usable too.
        slug = self.slug or norwegian_slugify(self.name, max_length=100)
        if slug in RESERVED_SECTION_SLUGS:
            message = _("«%(slug)s» er en fast adresse på nettstedet og kan ikke brukes.")
            raise ValidationError({"slug": ValidationError(message, params={"slug": slug})})


@functools.lru_cache(maxsize=4096)
def slug_url(script_prefix, route, slug):
    """A section's, a person's or a tag's address, resolved once per worker and script prefix
    (which reverse() reads): every teaser links to its section, and an article page to its
    people three times (byline, meta tags, JSON-LD) and to each of its tags."""
    return reverse(route, kwargs={"slug": slug})


@receiver(setting_changed, dispatch_uid="forget_slug_urls")
def forget_slug_urls(setting, **kwargs):
    """Another URL configuration (tests swap it) gives other addresses."""
    if setting == "ROOT_URLCONF":
        slug_url.cache_clear()


class Person(ReaderText):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        AGENCY = "agency", _("Nyhetsbyrå")

    name = models.CharField(_("navn"), max_length=150)
    slug = models.SlugField(
        _("slug"), max_length=150, unique=True, blank=True, help_text=SLUG_FROM_NAME
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind, default=Kind.PERSON)
    title = models.CharField(
        _("tittel/rolle"), max_length=100, blank=True, help_text=_("For eksempel «journalist».")
    )
    bio = models.TextField(_("kort biografi"), blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    photo = models.ImageField(_("portrett"), upload_to="people/", blank=True)
    # A newsroom account is a byline: the colleague's own articles start with this person.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("innlogging"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text=_("Brukerkontoen til medarbeideren som skriver under denne bylinen."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        permissions = [("add_colleague", _("Kan legge til nye medarbeidere"))]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        replaced = dropped_file(self, "photo")
        super().save(*args, **kwargs)
        if replaced:
            delete_files_on_commit(replaced["photo"])

    def get_absolute_url(self):
        return slug_url(get_script_prefix(), "articles:person", self.slug)

    @property
    def is_agency(self):
        return self.kind == self.Kind.AGENCY


def user_reference(verbose_name):
    """Which newsroom user did something; kept (as empty) when the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
# How far back "Mer fra Dagsavisen" and the front page's section blocks look, in articles.
RECENT_ARTICLES = 500
# The article's own text: never needed where it is only a teaser in a list.
TEXT_FIELDS = ("body", "body_html", "import_snapshot")
# A teaser's columns: its link (slug, section, date), what it shows and its cache key.
TEASER_FIELDS = (
    "title", "slug", "lead", "published_at", "created_at", "modified_at",
    "section__name", "section__slug", "section__opinion",
    "lead_image__file", "lead_image__alt_text", "lead_image__width", "lead_image__height",
    "lead_image__renditions",
)  # fmt: skip


def bylines_with_people(*person_fields):
    """Bylines with their persons; only ``person_fields`` of them when given."""
    bylines = Byline.objects.select_related("person")
    if person_fields:
        bylines = bylines.only("article", *(f"person__{field}" for field in person_fields))
    return models.Prefetch("byline_set", queryset=bylines)


@functools.cache
def page_flags():
    """Whether an article has PFU rulings, notes and curated links: built once, as Django
    copies an expression before it puts it in a query."""
    return {
        "has_pfu_rulings": models.Exists(PfuRuling.objects.filter(article=models.OuterRef("pk"))),
        "has_updates": models.Exists(ArticleUpdate.objects.filter(article=models.OuterRef("pk"))),
        "has_related_links": models.Exists(
            RelatedLink.objects.filter(from_article=models.OuterRef("pk"))
        ),
    }


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """The one definition of what readers may see (at the moment ``at``, or now)."""
        return self.filter(
            status=Article.Status.PUBLISHED,
            published_at__lte=at or timezone.now(),
            deleted_at__isnull=True,
        )

    def outside_bin(self):
        return self.filter(deleted_at__isnull=True)

    def in_bin(self):
        return self.filter(deleted_at__isnull=False)

    def gone(self):
        """In the bin, but readers could see it before: its address answers 410 Gone."""
        return self.in_bin().filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def among_newest(self, count, *, at=None):
        """Only articles among the ``count`` newest published ones (at ``at``, or now).

        Bounds the work of rankings (shared tags, newest per section) however large the archive
        grows; the cut-off is one index-only subquery.
        """
        cutoff = (
            Article.objects.published(at=at)
            .order_by("-published_at")
            .values("published_at")[count - 1 : count]
        )
        return self.filter(
            published_at__gte=Coalesce(
                models.Subquery(cutoff),
                models.Value(EARLIEST, output_field=models.DateTimeField()),
            )
        )

    def drafts(self):
        return self.outside_bin().filter(status=Article.Status.DRAFT)

    def submitted(self):
        """Sent to the desk by the journalist; waiting for an editor."""
        return self.outside_bin().filter(status=Article.Status.SUBMITTED)

    def scheduled(self):
        """Published, but waiting for its ``published_at``: readers cannot see it yet."""
        return self.outside_bin().filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
        )

    def for_listing(self):
        """Teasers with their bylines, newest first."""
        return (
            self.select_related("section", "lead_image")
            .prefetch_related(bylines_with_people())
            .order_by("-published_at", "-pk")
            .defer(*TEXT_FIELDS)
        )

    def listed(self):
        """Rows of ``(pk, modified_at, section_id)``: what a listing needs to find its teasers
        (articles/teasers.py), in the order already chosen (newest first by default)."""
        return self.values_list(*ListedArticle._fields, named=True)

    def tagged(self, tag):
        """Articles with ``tag``, as a semi-join: newest first, PostgreSQL walks the published
        articles' index and checks each against the tag links' unique index, stopping when a
        page is full, however large the archive."""
        links = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=models.OuterRef("pk"),
            tag=tag,
        )
        return self.filter(models.Exists(links))

    def by_person(self, person, *, at=None):
        """Articles with ``person`` in the byline, newest first, read in that order from the
        person's bylines (``Byline.article_published_at``): a page costs the same however many
        articles they or the archive have. Matching the copy to the article's own
        published_at lets PostgreSQL find each article in the listings' index alone. ``at``
        as for ``published()``."""
        return self.filter(
            byline__person=person,
            byline__article_published_at=models.F("published_at"),
            byline__article_published_at__lte=at or timezone.now(),
        ).order_by("-byline__article_published_at", "-pk")

    def placed_first(self, article_ids, *, others):
        """The desk's placed articles first, then the ``others`` newest of the rest.

        Only those are ranked: ordered by placement, the database could not walk the newest-
        first index and would sort every matching article, however large the archive.
        """
        ids = list(article_ids)
        if not ids:  # an empty CASE would become "ORDER BY 0", a column number to PostgreSQL
            return self.order_by("-published_at", "-pk")
        newest = self.exclude(pk__in=ids).order_by("-published_at", "-pk").values("pk")[:others]
        # A union, not an OR: each part found through an index, never a scan of every article.
        ranked = (
            Article.objects.filter(pk__in=ids)
            .order_by()
            .values("pk")
            .union(Article.objects.filter(pk__in=newest).order_by().values("pk"), all=True)
        )
        return (
            self.filter(pk__in=ranked)
            .alias(placed=models.Case(models.When(pk__in=ids, then=1), default=0))
            .order_by("-placed", "-published_at", "-pk")
        )

    def newest_per_section(self, per_section, section_ids):
        """Listed rows (``listed()``) of the newest ``per_section`` articles of each section in
        ``section_ids``, among the ``RECENT_ARTICLES`` newest: grouped by section, newest first
        within each. The front page's rows: ``front_sections_newest()``."""
        newest_first = [models.F("published_at").desc(), models.F("pk").desc()]
        return list(
            self.among_newest(RECENT_ARTICLES)
            .filter(section_id__in=section_ids)
            .annotate(
                section_rank=models.Window(
                    RowNumber(), partition_by=models.F("section_id"), order_by=newest_first
                )
            )
            .filter(section_rank__lte=per_section)
            .order_by("section_id", *newest_first)
            .listed()
        )

    def for_fragment_keys(self):
        """Just enough for an article's URL and its cached fragments' keys: a cheap query,
        without its section (``select_related("section")`` if its URL is needed)."""
        return self.only(
            "slug", "title", "published_at", "created_at", "modified_at", "section_id"
        )

    def for_page(self):
        """The article page's article: its updates, PFU rulings and curated links are read
        only if these flags say it has any (most articles have none). Its text source and
        import snapshot stay in the database: the page shows the rendered body."""
        return (
            self.select_related("section", "lead_image", "lead_image__photographer")
            .defer("body", "import_snapshot")
            .prefetch_related(bylines_with_people("name", "slug", "kind"), "tags")
            .annotate(**page_flags())
        )

    def for_teasers(self):
        """Only what a teaser shows (its photo, section, title, lead and time)."""
        return self.select_related("section", "lead_image").only(*TEASER_FIELDS)


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The stored search vector is only read inside PostgreSQL (search matching and
        # ranking); loading it with every article would ship kilobytes per row for nothing.
        return super().get_queryset().defer("search_vector")


class Article(ReaderText):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Kladd")
        SUBMITTED = "submitted", _("Klar til vask")
        PUBLISHED = "published", _("Publisert")

    title = models.CharField(_("tittel"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    section = models.ForeignKey(
        Section, verbose_name=_("seksjon"), on_delete=models.PROTECT, related_name="articles"
    )
    lead = models.TextField(_("ingress"))
    body = models.TextField(
        _("brødtekst"),
        help_text=_(
            "Avsnitt skilles med en tom linje. «## » foran en linje gir en mellomtittel. "
            "Avsnitt som starter med «– » er sitater."
        ),
        # A validator, not max_length: the textarea must not get a maxlength that makes the
        # browser cut a pasted text without a word.
        validators=[
            MaxLengthValidator(
                BODY_MAX_LENGTH,
                message=_(
                    "Brødteksten kan være høyst %(limit_value)d tegn, og denne har "
                    "%(show_value)d. Kort den ned, eller del saken i flere artikler."
                ),
            )
        ],
    )
    body_html = models.TextField(editable=False, blank=True)
    lead_image = models.ForeignKey(
        Image,
        verbose_name=_("hovedbilde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_for",
    )
    lead_image_caption = models.TextField(
        _("bildetekst i denne artikkelen"),
        blank=True,
        help_text=_(
            "Erstatter bildets egen bildetekst i denne artikkelen. La stå tom for å bruke den."
        ),
    )
    bylines = models.ManyToManyField(
        Person, through="Byline", related_name="articles", verbose_name=_("bylines"), blank=True
    )
    tags = TaggableManager(_("stikkord"), blank=True)
    related = models.ManyToManyField(
        "self",
        through="RelatedLink",
        symmetrical=False,
        related_name="+",
        blank=True,
        verbose_name=_("relaterte artikler"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(
        _("oppdatert"),
        null=True,
        blank=True,
        help_text=_("Vises som «Oppdatert» for leserne. La stå tom for små rettelser."),
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    modified_at = models.DateTimeField(_("sist endret"), auto_now=True)
    import_key = models.CharField(
        _("importnøkkel"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_(
            "Navnet på filen artikkelen ble importert fra, uten endelse. "
            "Importeres samme fil på nytt, oppdateres denne artikkelen."
        ),
    )
    # What the last import set (title, lead, body, section, and bylines and tags when given):
    # a re-import compares it with the article to find edits made in the admin since.
    import_snapshot = models.JSONField(default=dict, blank=True, editable=False)
    created_by = user_reference(_("opprettet av"))
    last_edited_by = user_reference(_("sist endret av"))
    published_by = user_reference(_("publisert av"))
    # Set when the article is put in the bin: it leaves every public surface, and its
    # corrections, tags, bylines and publication log stay with it until the bin is emptied.
    deleted_at = models.DateTimeField(
        _("lagt i papirkurven"), null=True, blank=True, editable=False
    )
    deleted_by = user_reference(_("lagt i papirkurven av"))
    # Rotated on every save: an edit form carries the token it was opened with, so a save
    # made in between (by a colleague, a bulk action or a restore) is noticed.
    edit_token = models.UUIDField(default=uuid.uuid4, editable=False)
    # Title (weight A), lead (B) and body (C) in the "norwegian" configuration, written by a
    # PostgreSQL trigger on every insert and edit (migration 0007); empty on other databases.
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("artikkel")
        verbose_name_plural = _("artikler")
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # Tag pages: newest published first, index-only, each article checked against the
            # tag's links until the page is full (tagged()); a person's page finds each of its
            # articles here (by_person()).
            # It carries what listed() reads, so the walk never visits the wide article rows
            # (PostgreSQL; other databases ignore "include").
            models.Index(
                fields=["-published_at", "-id"],
                include=["modified_at", "section"],
                condition=Q(status="published", deleted_at__isnull=True),
                name="article_published_newest_idx",
            ),
            # Section fronts: their page and their count are index-only, whatever the archive.
            models.Index(
                fields=["section", "status", "published_at"], name="article_section_listing_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~Q(import_key=""),
                name="unique_article_import_key",
            )
        ]
        permissions = [
            ("publish_article", _("Kan publisere, planlegge og avpublisere artikler")),
            ("edit_any_article", _("Kan redigere andres artikler")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.render_body()
        self.edit_token = uuid.uuid4()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "edit_token", "modified_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # The "articles:article" route spelled out under its section's address: reverse() was a
        # tenth of a teaser's render. tests/test_teasers.py holds the two equal.
        day = self.url_date
        date = f"{day.year}/{day.month:02d}/{day.day:02d}"
        return f"{self.section.get_absolute_url()}{date}/{self.slug}/"

    def clean(self):
        super().clean()
        errors = {}
        wanted = library_image_ids(self.body)
        missing = sorted(
            wanted - set(Image.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        )
        if missing:
            errors["body"] = _("Fant ikke bilde %(ids)s i bildearkivet.") % {
                "ids": ", ".join(map(str, missing))
            }
        if self.updated_at is not None:
            if self.updated_at > timezone.now():
                errors["updated_at"] = _("«Oppdatert» kan ikke være fram i tid.")
            elif self.published_at is not None and self.updated_at < self.published_at:
                errors["updated_at"] = _(
                    "«Oppdatert» kan ikke være før artikkelen ble publisert (%(published)s)."
                ) % {"published": oslo_time(self.published_at)}
        if errors:
            raise ValidationError(errors)

    def render_body(self):
        library = Image.objects.select_related("photographer").in_bulk(
            library_image_ids(self.body)
        )

        def figure(image_id, alt_text):
            image = library.get(image_id)
            return image.figure_html(alt_text=alt_text) if image else ""

        self.body_html = render_body(self.body, figure=figure)

    @property
    def og_image_url(self):
        """URL of the lead image's 1200×630 Open Graph crop, or None."""
        return self.lead_image.og_image_url if self.lead_image else None

    @property
    def url_date(self):
        return timezone.localdate(self.published_at or self.created_at or timezone.now())

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_released(self):
        """Approved by an editor for readers (published or scheduled): edits need approval."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_over_a_year_old(self):
        return bool(
            self.published_at and self.published_at < timezone.now() - datetime.timedelta(days=365)
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def shows_update(self):
        return bool(self.updated_at and self.published_at and self.updated_at > self.published_at)

    @property
    def tagged_items(self):
        """The tag links themselves, so revisions can store and restore them."""
        return self.tags.through.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_id=self.pk,
        )

    @cached_property
    def shown_updates(self):
        """Updates and corrections; no query when ``for_page()`` found there are none."""
        if not getattr(self, "has_updates", True):
            return []
        return list(self.updates.all())

    @cached_property
    def shown_pfu_rulings(self):
        """The article's PFU rulings; no query when ``for_page()`` found there are none."""
        if not getattr(self, "has_pfu_rulings", True):
            return []
        return list(self.pfu_rulings.all())

    def ordered_bylines(self):
        """Persons in byline order, in one query, or none after ``for_page()``."""
        # Asking Django to prefetch what a listing prefetched already costs a teaser as much
        # as rendering its title.
        if "byline_set" not in getattr(self, "_prefetched_objects_cache", {}):
            prefetch_related_objects([self], bylines_with_people())
        return [byline.person for byline in self.byline_set.all()]

    def footer_rows(self, recent, limit=None):
        """'Mer fra Dagsavisen' as listed rows: curated first, then shared tags among the newest
        articles, same section, newest.

        ``recent`` is ``recent_articles_with_tags()``, which each worker keeps
        (articles/fragments.py): the rankings need no query unless the article has curated
        links or ``recent`` cannot fill a part (a short section, a tiny archive).
        """
        limit = limit or settings.NEWSROOM["RELATED_LINKS"]
        picked = []

        def seen():
            return {row.pk for row in picked} | {self.pk}

        def unseen(entries):
            """As many of ``recent``'s ``entries`` as are still wanted, as listed rows."""
            skip = seen()
            rows = (ListedArticle(*entry[:3]) for entry in entries if entry[PK] not in skip)
            return list(itertools.islice(rows, limit - len(picked)))

        def fetch(queryset):
            if len(picked) < limit:
                picked.extend(queryset.exclude(pk__in=seen())[: limit - len(picked)])

        def newest(entries, **filters):
            """From ``recent``, unless older articles than it holds are needed."""
            if len(picked) == limit:
                return
            rows = unseen(entries)
            if len(rows) < limit - len(picked) and len(recent) >= RECENT_ARTICLES:
                published = Article.objects.published().filter(**filters)
                fetch(published.order_by("-published_at", "-pk").listed())
            else:
                picked.extend(rows)

        if getattr(self, "has_related_links", True):
            curated = CURATED_LINKS.rows(timezone.now(), self.pk)
            picked.extend(ListedArticle(*row) for row in curated[:limit])
        tag_ids = {tag.pk for tag in self.tags.all()}
        if tag_ids:
            shared = collections.Counter(
                position
                for tag_id in tag_ids
                for position in recent.positions_by_tag.get(tag_id, ())
            )
            # Most shared tags first, newest first among as many.
            ranked = sorted(shared, key=lambda position: (-shared[position], position))
            picked.extend(unseen(recent.entries[position] for position in ranked))
        newest(
            (entry for entry in recent if entry[SECTION_ID] == self.section_id),
            section_id=self.section_id,
        )
        newest(recent)
        return picked


def page_article(pk):
    """The article page's article (``for_page()``) with its bylines' persons and its tags, in
    one query, kept where ``ordered_bylines()`` and ``tags.all()`` look for a prefetch. The
    query is compiled once (ops/compiled.py)."""
    (article,) = PAGE_ARTICLE.instances(pk, ContentType.objects.get_for_model(Article).pk)
    db = article._state.db
    people = [
        Person.from_db(db, ["id", "name", "slug", "kind"], shown)
        for _position, _link, *shown in sorted(article.page_people or ())
    ]
    tags = [
        Tag.from_db(db, ["id", "name", "slug"], shown)
        for _link, *shown in sorted(article.page_tags or ())
    ]
    prefetched(article, "byline_set", Byline, [Byline(article=article, person=p) for p in people])
    prefetched(article, "tags", Tag, tags)
    return article


def published_article_with_slug(slug):
    """The published article whose address ends in ``slug``, loaded ``for_fragment_keys()``, or
    None: one query, compiled once per worker and database (``ADDRESSED_ARTICLE``)."""
    found = ADDRESSED_ARTICLE.instances(slug, timezone.now())
    return found[0] if found else None


class JSONRows(models.Aggregate):
    """The group's values as one JSON array, in no particular order."""

    function = "JSONB_AGG"
    output_field = models.JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def with_bylines_and_tags(articles, content_type_id):
    """``articles`` with ``page_people``: ``[position, byline id, person id, name, slug,
    kind]`` of each byline, and ``page_tags``: ``[link id, tag id, name, slug]`` of each tag
    (or None without any); unordered, as aggregates in SQLite are."""
    bylines = (
        Byline.objects.filter(article=models.OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(
            rows=JSONRows(
                JSONArray(
                    "position",
                    "pk",
                    "person_id",
                    "person__name",
                    "person__slug",
                    "person__kind",
                )
            )
        )
        .values("rows")
    )
    tagged = (
        TaggedItem.objects.filter(content_type=content_type_id, object_id=models.OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(rows=JSONRows(JSONArray("pk", "tag_id", "tag__name", "tag__slug")))
        .values("rows")
    )
    return articles.annotate(
        page_people=models.Subquery(bylines, output_field=models.JSONField()),
        page_tags=models.Subquery(tagged, output_field=models.JSONField()),
    )


ADDRESSED_ARTICLE = CompiledQuery(
    Article,
    lambda slug, now: Article.objects.published(at=now).for_fragment_keys().filter(slug=slug),
    prepared=True,
)
# An article's curated links readers may see, in the desk's order (a handful: not sliced).
CURATED_LINKS = CompiledQuery(
    Article,
    lambda now, pk: (
        Article.objects.published(at=now)
        .filter(relatedlink_targets__from_article_id=pk)
        .exclude(pk=pk)
        .order_by("relatedlink_targets__position")
        .listed()
    ),
    prepared=True,
)
PAGE_ARTICLE = CompiledQuery(
    Article,
    lambda pk, content_type_id: with_bylines_and_tags(
        Article.objects.for_page().filter(pk=pk), content_type_id
    ),
    prepared=True,
)


def prefetched(instance, name, model, objects):
    """What ``prefetch_related(name)`` would leave on ``instance``: a queryset of ``model``,
    already evaluated to ``objects``."""
    # Built empty rather than filtered to the instance as the manager's own would be (taggit's
    # joins three tables, a tenth of a millisecond a page): pages only read what it holds.
    queryset = model._default_manager.none()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance._prefetched_objects_cache = {
        **getattr(instance, "_prefetched_objects_cache", {}),
        name: queryset,
    }


class ListedArticle(NamedTuple):
    """What a listing reads of each article to find its teaser (``ArticleQuerySet.listed()``)."""

    pk: int
    modified_at: datetime.datetime
    section_id: int


def front_sections_newest(per_section, section_ids, *, at, excluding):
    """``Article.objects.published(at=at).exclude(pk__in=excluding).newest_per_section()``; on
    PostgreSQL as one index scan per section (LATERAL), compiled once per worker: the ranking
    window over all of them costs the front page more to build and compile than to run."""
    using = router.db_for_read(Article)
    if connections[using].vendor != "postgresql":
        published = Article.objects.published(at=at).exclude(pk__in=excluding)
        return published.newest_per_section(per_section, section_ids)
    sql, params = NEWEST_IN_A_SECTION.sql(at, *excluding, per_section=per_section, using=using)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT newest.pk, newest.modified_at, newest.section_id"  # noqa: S608 - the ORM's SQL; values apart
            " FROM unnest(%s::bigint[]) AS front_section(id)"
            f" CROSS JOIN LATERAL ({sql}) AS newest"
            " ORDER BY newest.section_id, newest.published_at DESC, newest.pk DESC",
            [list(section_ids), *params],
        )
        return [ListedArticle(*row) for row in cursor.fetchall()]


# The newest articles of the section front_sections_newest() names "front_section".
NEWEST_IN_A_SECTION = CompiledQuery(
    Article,
    lambda at, *excluding, per_section: (
        Article.objects.published(at=at)
        .exclude(pk__in=excluding)
        .among_newest(RECENT_ARTICLES, at=at)
        .filter(section_id=RawSQL("front_section.id", ()))
        .order_by("-published_at", "-pk")
        .values_list("pk", "modified_at", "section_id", "published_at")[:per_section]
    ),
)


# Each of recent_articles_with_tags()' entries is a tuple: a ListedArticle's fields, then
# the tags' ids.
PK, SECTION_ID, TAG_IDS = 0, 2, 3


@dataclasses.dataclass(frozen=True)
class RecentArticles:
    """``recent_articles_with_tags()``'s entries, which each worker keeps as they are
    (``LocalObjectCache``: unpickling 500 of them cost more than ranking them)."""

    entries: tuple

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    @property
    def size(self):
        return 250 * len(self.entries)  # about an entry's bytes in memory, and its tags' index

    @cached_property
    def positions_by_tag(self):
        """Each tag's id: the positions in ``entries`` of the articles carrying it, newest
        first (most articles share no tag with a given one: they are never looked at)."""
        found = {}
        for position, entry in enumerate(self.entries):
            for tag_id in set(entry[TAG_IDS]):
                found.setdefault(tag_id, []).append(position)
        return found


def recent_articles_with_tags():
    """The ``RECENT_ARTICLES`` newest published articles, newest first, as ``(pk, modified_at,
    section_id, tag_ids)`` (all of them while the archive is smaller). One query: the
    articles, then their tag links, each read from an index."""
    newest = Article.objects.published().among_newest(RECENT_ARTICLES).order_by()
    no_id = models.Value(None, models.IntegerField())
    no_time = models.Value(None, models.DateTimeField())
    articles = newest.values_list("pk", "published_at", "modified_at", "section_id", no_id)
    links = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article),
        object_id__in=newest.values("pk"),
    ).values_list("object_id", no_time, no_time, no_id, "tag_id")
    rows, tags = [], {}
    for pk, published_at, modified_at, section_id, tag_id in articles.union(links, all=True):
        if tag_id is None:
            rows.append((published_at, pk, modified_at, section_id))
        else:
            tags.setdefault(pk, []).append(tag_id)
    rows.sort(reverse=True)
    return RecentArticles(
        tuple(
            (pk, modified_at, section_id, tuple(tags.get(pk, ())))
            for _, pk, modified_at, section_id in rows
        )
    )


class Byline(models.Model):
    # Both keys are looked up through the two-column indexes below; an index on either alone
    # only adds work to every write, and PostgreSQL probed the article's for a person's page
    # and read each byline's row, where the unique one answers from the index alone.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, db_index=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, verbose_name=_("person"), db_index=False
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    # A copy of the article's: a person's page reads their newest articles in order from their
    # bylines alone (by_person()); whether readers may see each is still the article's to
    # say. Only articles/freshness.py writes it, after every save of either.
    article_published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        indexes = [
            models.Index(
                fields=["person", "-article_published_at", "-article"],
                name="byline_person_newest_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="unique_byline_per_article")
        ]

    def __str__(self):
        return self.person.name


class RelatedLink(models.Model):
    from_article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="relatedlink_sources"
    )
    to_article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="relatedlink_targets",
        verbose_name=_("relatert artikkel"),
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("relatert artikkel")
        verbose_name_plural = _("relaterte artikler")
        constraints = [
            models.UniqueConstraint(
                fields=["from_article", "to_article"], name="unique_related_link"
            ),
            models.CheckConstraint(
                condition=~Q(from_article=models.F("to_article")), name="related_link_not_self"
            ),
        ]

    def __str__(self):
        return str(self.to_article)


class ArticleUpdateQuerySet(models.QuerySet):
    def published_corrections(self):
        """Corrections on articles readers may see, newest first."""
        return (
            self.filter(kind=ArticleUpdate.Kind.CORRECTION)
            .filter(article__in=Article.objects.published())
            .select_related("article__section")
            .order_by("-created_at", "-pk")
        )


class ArticleUpdate(ReaderText):
    """A note shown to readers: an update to the story or a correction of an error."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("Oppdatering")
        CORRECTION = "correction", _("Rettelse")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("type"), max_length=10, choices=Kind, default=Kind.UPDATE)
    text = models.TextField(_("tekst"))
    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    created_by = user_reference(_("skrevet av"))

    objects = ArticleUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("oppdatering eller rettelse")
        verbose_name_plural = _("oppdateringer og rettelser")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_correction(self):
        return self.kind == self.Kind.CORRECTION


class PfuRulingQuerySet(models.QuerySet):
    def published(self):
        """Rulings on articles readers may see, newest first."""
        return (
            self.filter(article__in=Article.objects.published())
            .select_related("article__section")
            .order_by("-decided_on", "-pk")
        )


class PfuRuling(ReaderText):
    """What the Press Complaints Commission (PFU) concluded about an article.

    Kept out of the article's revisions, like its corrections: a restore never removes it.
    """

    class Outcome(models.TextChoices):
        BREACH = "breach", _("Brudd på god presseskikk")
        CRITICISM = "criticism", _("Kritikk")
        NO_BREACH = "no_breach", _("Ikke brudd")

    article = models.ForeignKey(
        Article,
        verbose_name=_("artikkel"),
        on_delete=models.CASCADE,
        related_name="pfu_rulings",
    )
    decided_on = models.DateField(_("dato for uttalelsen"))
    outcome = models.CharField(_("konklusjon"), max_length=10, choices=Outcome)
    case_number = models.CharField(
        _("saksnummer"),
        max_length=20,
        unique=True,
        help_text=_("PFUs saksnummer, som «2024-123»."),
    )
    summary = models.TextField(_("kort sammendrag"))
    decision_url = models.URLField(_("lenke til hele uttalelsen"))
    created_at = models.DateTimeField(_("registrert"), default=timezone.now, editable=False)
    created_by = user_reference(_("registrert av"))

    objects = PfuRulingQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("PFU-uttalelse")
        verbose_name_plural = _("PFU-uttalelser")

    def __str__(self):
        return f"PFU-sak {self.case_number}"

    @property
    def is_breach(self):
        return self.outcome == self.Outcome.BREACH


class AboutPage(ReaderText):
    """«Om oss»: who is responsible for the paper and how a reader complains. One row."""

    editor_in_chief = models.CharField(_("ansvarlig redaktør"), max_length=150)
    contact_email = models.EmailField(_("e-post til redaksjonen"))
    contact_phone = models.CharField(_("telefon"), max_length=30, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    introduction = models.TextField(_("om avisen"), blank=True)
    complaints = models.TextField(
        _("slik klager du"),
        help_text=_("Vises under «Klage på omtale», før henvisningen til PFU."),
        default=(
            "Mener du at vi har omtalt deg eller andre urettmessig, ta først kontakt med "
            "redaksjonen. Vi retter feil raskt og gir den som er omtalt mulighet til "
            "samtidig imøtegåelse."
        ),
    )
    # The sitemap's lastmod for /om-oss/.
    modified_at = models.DateTimeField(_("sist endret"), auto_now=True)

    class Meta:
        verbose_name = _("«Om oss»-side")
        verbose_name_plural = _("«Om oss»-side")

    def __str__(self):
        return "Om oss"

    @classmethod
    def current(cls):
        """The page's row, or (before an editor has saved it) one made from the settings."""
        return cls.objects.first() or cls(
            editor_in_chief=settings.NEWSROOM["EDITOR_IN_CHIEF"],
            contact_email=settings.NEWSROOM["CONTACT_EMAIL"],
        )


class PublicationEvent(models.Model):
    """Who published, scheduled or unpublished an article, and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Sendt til vask")
        SENT_BACK = "sent_back", _("Sendt tilbake til journalisten")
        PUBLISHED = "published", _("Publisert")
        SCHEDULED = "scheduled", _("Planlagt")
        UNPUBLISHED = "unpublished", _("Avpublisert")
        CHANGE_APPROVED = "change_approved", _("Endring godkjent")
        CHANGE_REJECTED = "change_rejected", _("Endring avvist")
        BINNED = "binned", _("Lagt i papirkurven")
        RESTORED = "restored", _("Hentet fra papirkurven")
        PFU_RULING_RECORDED = "pfu_recorded", _("PFU-uttalelse registrert")
        PFU_RULING_CHANGED = "pfu_changed", _("PFU-uttalelse endret")
        PLACED = "placed", _("Plassert på forsiden")
        REMOVED = "removed", _("Fjernet fra forsiden")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="publication_events"
    )
    action = models.CharField(_("handling"), max_length=20, choices=Action)
    by = user_reference(_("utført av"))
    at = models.DateTimeField(_("utført"), default=timezone.now)
    published_at = models.DateTimeField(_("publiseringstidspunkt"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("publiseringshendelse")
        verbose_name_plural = _("publiseringslogg")

    def __str__(self):
        return f"{self.get_action_display()} {timezone.localtime(self.at):%d.%m.%Y %H.%M}"


class PlacementQuerySet(models.QuerySet):
    def showing(self, *, section=None):
        """The desk's choice now for each slot of the front page (``section=None``) or of a
        section front: the newest started placement that has not ended. One query; returns
        ``{slot: article_id}``. The page shows it only if ``Article.objects.published()``
        holds the article; otherwise the slot takes the newest."""
        on = () if section is None else (section.pk,)
        rows = PLACEMENTS_AT.rows(timezone.now(), *on)
        showing, placed = {}, set()
        for slot, article_id in rows:
            if slot not in showing and article_id not in placed:
                showing[slot] = article_id
                placed.add(article_id)
        return showing


class FrontPlacement(models.Model):
    """The desk's choice of an article for one slot of the front page or a section front.

    Slots nobody placed, and placements of articles readers may not see, are filled with the
    newest published articles.
    """

    class Slot(models.IntegerChoices):
        MAIN = 1, _("1 – toppsak")
        SECOND = 2, _("2")
        THIRD = 3, _("3")
        FOURTH = 4, _("4")
        FIFTH = 5, _("5")
        SIXTH = 6, _("6")
        SEVENTH = 7, _("7")

    section = models.ForeignKey(
        Section,
        verbose_name=_("seksjonsfront"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="placements",
        help_text=_("La stå tom for forsiden. Velg en seksjon for å feste saken øverst der."),
    )
    slot = models.PositiveSmallIntegerField(
        _("plass"), choices=Slot, default=Slot.MAIN, help_text=_("Plass 1 er toppsaken.")
    )
    article = models.ForeignKey(
        Article, verbose_name=_("artikkel"), on_delete=models.CASCADE, related_name="placements"
    )
    starts_at = models.DateTimeField(
        _("vises fra"),
        default=timezone.now,
        help_text=_("Sett et tidspunkt fram i tid for å planlegge endringen."),
    )
    ends_at = models.DateTimeField(
        _("vises til"),
        null=True,
        blank=True,
        help_text=_("La stå tom for å la saken stå til noe annet plasseres her."),
    )
    placed_by = user_reference(_("plassert av"))
    placed_at = models.DateTimeField(_("plassert"), auto_now=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["section__position", "slot", "-starts_at", "-pk"]
        verbose_name = _("plassering på forsiden")
        verbose_name_plural = _("forsidens plasseringer")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="placement_ends_after_start",
            )
        ]

    def __str__(self):
        where = self.section.name if self.section_id else _("Forsiden")
        return f"{where}, {self.get_slot_display()}: {self.article}"

    def clean(self):
        super().clean()
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("«Vises til» må være etter «Vises fra».")
        if self.article_id and self.section_id and self.article.section_id != self.section_id:
            errors["section"] = _("Saken hører til seksjonen %(section)s.") % {
                "section": self.article.section.name
            }
        if errors:
            raise ValidationError(errors)


def placements_at(now, section=None):
    """The placements started and not ended at ``now`` on the front page or ``section``'s
    front: ``(slot, article_id)``, by slot, the newest started first."""
    return (
        FrontPlacement.objects.filter(section=section, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("slot", "-starts_at", "-pk")
        .values_list("slot", "article_id")
    )


# Compiled once for the front page and once for all section fronts.
PLACEMENTS_AT = CompiledQuery(FrontPlacement, placements_at)


class PendingChange(models.Model):
    """A journalist's edit of a released article, kept from readers until an editor approves."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="pending_change",
        verbose_name=_("artikkel"),
    )
    title = models.CharField(_("tittel"), max_length=255)
    lead = models.TextField(_("ingress"))
    body = models.TextField(_("brødtekst"))
    lead_image = models.ForeignKey(
        Image, verbose_name=_("hovedbilde"), on_delete=models.SET_NULL, null=True, blank=True
    )
    lead_image_caption = models.TextField(_("bildetekst i denne artikkelen"), blank=True)
    tag_names = models.JSONField(_("stikkord"), default=list, blank=True)
    proposed_by = user_reference(_("foreslått av"))
    proposed_at = models.DateTimeField(_("foreslått"), default=timezone.now)

    # The article fields a pending change carries, in the order an editor reads them.
    FIELDS = ("title", "lead", "body", "lead_image", "lead_image_caption")

    class Meta:
        ordering = ["proposed_at", "pk"]
        verbose_name = _("endring som venter på godkjenning")
        verbose_name_plural = _("endringer som venter på godkjenning")

    def __str__(self):
        return str(self.article)

    def apply_to(self, article):
        """Copy the proposed fields onto ``article`` in memory (tags are not touched)."""
        for field in self.FIELDS:
            setattr(article, field, getattr(self, field))
        article.render_body()


@receiver([post_save, post_delete], sender=Image, dispatch_uid="rerender_bodies_showing_image")
def rerender_bodies_showing_image(sender, instance, raw=False, **kwargs):
    """Body figures are stored HTML: refresh them when their photo's caption, credit or file
    changes, or when it is deleted. An update, not a save: this is no edit of the article and
    must not make an editor's open form stale."""
    if raw:
        return
    if kwargs["signal"] is post_save and instance.file and not instance.has_current_renditions:
        # The figures show renditions, made once the photo's save is committed (Image.save).
        def with_renditions():
            instance.ensure_renditions()
            rerender_bodies(instance)

        transaction.on_commit(with_renditions)
    else:
        rerender_bodies(instance)


def rerender_bodies(image):
    from . import freshness  # it reads these models

    showing = list(Article.objects.filter(body__contains=f"(bilde:{image.pk})"))
    for article in showing:
        article.render_body()
        Article.objects.filter(pk=article.pk).update(body_html=article.body_html)
    if showing:
        freshness.changed(Article, article_ids=[article.pk for article in showing])


@receiver(post_delete, sender=Person, dispatch_uid="delete_portrait_file")
def delete_portrait_file(sender, instance, **kwargs):
    """A deleted person's portrait goes too, once the deletion is committed."""
    name = instance.photo.name
    if name and not Person.objects.filter(photo=name).exists():
        delete_files_on_commit(name)


# What an object's address is made from, and what it is called when nothing of that is left.
SLUG_SOURCES = {
    Section: ("name", "seksjon"),
    Person: ("name", "person"),
    Article: ("title", "artikkel"),
    Tag: ("name", "stikkord"),
}


def guard_reader_text(sender, instance, raw=False, **kwargs):
    """The last check before any save, loaddata's raw saves included: stored text is text a
    reader can be shown, and everything a reader can reach has an address."""
    try:
        accept_reader_text(instance)
    except ValidationError as error:
        name = capfirst(sender._meta.verbose_name)
        messages = " ".join(message for field in error.message_dict.values() for message in field)
        raise ValidationError(f"{name} (pk={instance.pk}): {messages}") from None
    if sender not in SLUG_SOURCES:
        return
    max_length = sender._meta.get_field("slug").max_length
    # taggit does not shorten a slug whose transliteration outgrew the name ("北京" → "bei-jing").
    if not instance.slug or len(instance.slug) > max_length:
        source, fallback = SLUG_SOURCES[sender]
        instance.slug = unique_slug(
            sender,
            getattr(instance, source),
            fallback=fallback,
            exclude_pk=instance.pk,
            max_length=max_length,
        )


for guarded_model in (Section, Person, Article, ArticleUpdate, PfuRuling, AboutPage, Image, Tag):
    pre_save.connect(
        guard_reader_text, sender=guarded_model, dispatch_uid=f"guard_{guarded_model.__name__}"
    )


class AutosavedDraft(models.Model):
    """A journalist's unsaved text, kept every few seconds while she types: her own private
    copy, never the article (readers, publication state and the stale-save check never see it).
    ``article`` is empty for an article not saved yet."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, related_name="+")
    title = models.CharField(_("tittel"), max_length=255, blank=True)
    lead = models.TextField(_("ingress"), blank=True)
    body = models.TextField(
        _("brødtekst"), blank=True, validators=[MaxLengthValidator(BODY_MAX_LENGTH)]
    )
    lead_image_caption = models.TextField(_("bildetekst i denne artikkelen"), blank=True)
    # The version she was editing from: restoring brings the stale-save check back with it.
    loaded_edit_token = models.UUIDField(null=True, blank=True)
    saved_at = models.DateTimeField(_("lagret"), default=timezone.now)

    # The form fields a draft carries, as the article form names them.
    FIELDS = ("title", "lead", "body", "lead_image_caption")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="one_autosaved_draft_per_user_and_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="one_autosaved_new_article_per_user",
            ),
        ]
        verbose_name = _("autolagret kladd")
        verbose_name_plural = _("autolagrede kladder")

    def __str__(self):
        return self.title or str(_("Uten tittel"))
