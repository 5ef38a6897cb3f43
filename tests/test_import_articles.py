"""manage.py import_articles and export_article, as an editor or operator runs them."""

import contextlib
import datetime
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from articles import importing
from articles.models import BODY_MAX_LENGTH, Article, Person, PublicationEvent, Section
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    JournalistFactory,
    PersonFactory,
    SectionFactory,
)
from tests.html import elements, texts

SEED = (
    Path(__file__).resolve().parent.parent / "fixtures" / "plaintext" / "000_fc2e5a0788190f51.txt"
)
SEED_SUBHEADINGS = [
    "Møtes på romsenter?",
    "Tettere etter Ukraina-invasjon",
    "Kan styrke Russland i Ukraina",
    "Presses til forhandlinger?",
    "Sjojgu i Pyongyang",
]
SEED_DASH_QUOTES_START = ["– Det kommer til å være forhandlinger", "– Vi oppfordrer DPRK"]
STORY = (
    "Innenriks\n\nNy bro åpnet\n\nBroen over elva er klar.\n\n"
    "Første avsnitt.\n\nSlutt\n\nSiste avsnitt.\n"
)
pytestmark = pytest.mark.django_db


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def run_export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_article", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(directory, name, content):
    path = directory / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.fixture
def sections(db):
    call_command("loaddata", "sections", verbosity=0)


@pytest.fixture
def desk(db):
    """The editor on duty, whose account imports and publishes."""
    return EditorFactory(username="vaktsjef")


def reader_blocks(article):
    return [
        (element["tag"], element["attrs"].get("class"), element["text"])
        for element in elements(article.body_html)
    ]


def test_the_seed_file_imports_to_the_reference_article_in_the_fixtures(demo, tmp_path):
    reference = Article.objects.get(pk=1)
    copy = shutil.copy(SEED, tmp_path / "kopi.txt")

    status, _, _ = run_import(copy)

    assert status == 0
    imported = Article.objects.get(import_key="kopi")
    assert imported.pk != reference.pk
    assert (imported.title, imported.lead, imported.section) == (
        reference.title,
        reference.lead,
        reference.section,
    )
    assert imported.body == reference.body
    assert reader_blocks(imported) == reader_blocks(reference)
    assert texts(imported.body_html, "h2") == SEED_SUBHEADINGS
    quotes = texts(imported.body_html, "p", **{"class": "dash-quote"})
    assert len(quotes) == len(SEED_DASH_QUOTES_START)
    assert all(map(str.startswith, quotes, SEED_DASH_QUOTES_START))
    assert "Mer fra Dagsavisen" not in imported.body


def test_the_seed_file_itself_leaves_the_reference_article_unchanged(demo):
    before, count = Article.objects.get(pk=1), Article.objects.count()
    status, out, _ = run_import(SEED)
    assert status == 0
    assert "uendret" in out
    assert Article.objects.count() == count
    after = Article.objects.get(pk=1)
    assert (after.body, after.modified_at) == (before.body, before.modified_at)


def test_import_into_an_empty_site_makes_a_draft_with_the_seed_content(sections):
    status, out, _ = run_import(SEED)
    assert status == 0
    article = Article.objects.get()
    assert article.section.slug == "verden"
    assert article.title == "Kim Jong-un i Russland for å sikre seg tettere bånd med Putin"
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()
    assert out.splitlines() == [
        f"[1/1] {SEED}: opprettet «{article.title}» ({article.slug})",
        "1 fil: 1 opprettet, 0 oppdatert, 0 uendret, 0 feilet.",
    ]


def test_importing_the_same_file_twice_updates_instead_of_duplicating(sections, tmp_path):
    path = write(tmp_path, "ntb-1.txt", STORY)
    run_import(path)
    first = Article.objects.get()

    status, out, _ = run_import(path)

    assert status == 0
    assert Article.objects.count() == 1
    assert "uendret" in out
    assert Article.objects.get().modified_at == first.modified_at


def test_a_changed_file_updates_the_same_article_and_keeps_its_address(sections, desk, tmp_path):
    path = write(tmp_path, "ntb-1.txt", STORY)
    run_import(path, "--publish", "--as", "vaktsjef")
    first = Article.objects.get()

    write(
        tmp_path,
        "ntb-1.txt",
        STORY.replace("Ny bro åpnet", "Ny bro åpnet i dag").replace(
            "Første avsnitt.", "Første avsnitt, rettet."
        ),
    )
    status, out, _ = run_import(path)

    assert status == 0
    assert "oppdatert" in out
    article = Article.objects.get()
    assert article.pk == first.pk
    assert article.title == "Ny bro åpnet i dag"
    assert article.slug == first.slug
    assert "Første avsnitt, rettet." in texts(article.body_html, "p")
    assert article.is_published
    assert article.published_at == first.published_at


def test_a_file_with_another_name_makes_another_article(sections, tmp_path):
    run_import(write(tmp_path, "ntb-1.txt", STORY), write(tmp_path, "ntb-2.txt", STORY))
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["ny-bro-apnet", "ny-bro-apnet-2"]


def test_dry_run_writes_nothing_and_says_what_would_happen(db, tmp_path):
    path = write(tmp_path, "ntb-1.txt", STORY)
    status, out, _ = run_import(
        path, "--dry-run", "--create-sections", "--byline", "Ny Journalist", "--tags", "bro"
    )
    assert status == 0
    assert "ville blitt opprettet «Ny bro åpnet»" in out
    assert "Prøvekjøring, ingenting er lagret." in out
    assert not Article.objects.exists()
    assert not Section.objects.exists()
    assert not Person.objects.exists()


def test_dry_run_leaves_an_existing_article_as_it_was(sections, tmp_path):
    path = write(tmp_path, "ntb-1.txt", STORY)
    run_import(path)
    write(tmp_path, "ntb-1.txt", STORY.replace("Ny bro åpnet", "Endret tittel"))

    _, out, _ = run_import(path, "--dry-run")

    assert "ville blitt oppdatert «Endret tittel»" in out
    assert Article.objects.get().title == "Ny bro åpnet"


def test_publish_with_a_time_bylines_and_tags(sections, desk, tmp_path):
    reporter = PersonFactory(name="Kari Nordmann")
    path = write(tmp_path, "ntb-1.txt", STORY)

    status, _, _ = run_import(
        path,
        "--publish",
        "--as",
        "vaktsjef",
        "--published-at",
        "2023-09-12T14:05",
        "--byline",
        "kari nordmann",
        "--byline",
        "NTB",
        "--tags",
        "samferdsel, Nord-Norge",
    )

    assert status == 0
    article = Article.objects.get()
    assert article.is_published
    assert article.published_at == datetime.datetime(
        2023, 9, 12, 14, 5, tzinfo=ZoneInfo("Europe/Oslo")
    )
    assert [person.name for person in article.ordered_bylines()] == ["Kari Nordmann", "NTB"]
    assert article.ordered_bylines()[0] == reporter
    assert sorted(article.tags.names()) == ["Nord-Norge", "samferdsel"]
    assert article.published_by == desk
    event = PublicationEvent.objects.get(article=article)
    assert (event.action, event.by, event.published_at) == (
        PublicationEvent.Action.PUBLISHED,
        desk,
        article.published_at,
    )


def test_a_future_time_schedules_the_article(sections, desk, tmp_path):
    path = write(tmp_path, "a.txt", STORY)
    run_import(path, "--publish", "--as", "vaktsjef", "--published-at", "2999-01-01T00:00Z")
    assert Article.objects.get().status == Article.Status.PUBLISHED
    assert not Article.objects.published().exists()
    event = PublicationEvent.objects.get()
    assert (event.action, event.by) == (PublicationEvent.Action.SCHEDULED, desk)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published-at", "2023-09-12T14:05"], "--published-at krever --publish"),
        (["--publish", "--published-at", "i morgen"], "ugyldig tidspunkt «i morgen»"),
        (["--publish", "--published-at", "2023-13-01T10:00"], "ugyldig tidspunkt"),
        (["--byline", "N" * 151], "--byline: «N+…» er lengre enn 150 tegn"),
        (["--tags", "T" * 101], "--tags: «T+…» er lengre enn 100 tegn"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(sections, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_articles", str(write(tmp_path, "a.txt", STORY)), *args)
    assert not Article.objects.exists()


def test_unknown_section_is_refused_by_default(sections, tmp_path):
    path = write(tmp_path, "a.txt", STORY.replace("Innenriks", "Utland"))
    status, _, err = run_import(path)
    assert status == 1
    assert f"{path}, linje 1: ukjent seksjon «Utland»" in err
    assert "--create-sections" in err
    assert not Article.objects.exists()
    assert not Section.objects.filter(name="Utland").exists()


def test_unknown_section_is_created_last_when_asked(sections, tmp_path):
    path = write(tmp_path, "a.txt", STORY.replace("Innenriks", "Utland"))
    status, out, _ = run_import(path, "--create-sections")
    assert status == 0
    assert "ny seksjon «Utland»" in out
    assert list(Section.objects.values_list("name", flat=True))[-1] == "Utland"
    assert Article.objects.get().section.slug == "utland"


@pytest.mark.parametrize(("name", "slug"), [("Tema", "tema"), ("RSS", "rss"), ("Søk", "sok")])
def test_a_new_section_may_not_take_an_address_the_site_uses(sections, tmp_path, name, slug):
    path = write(tmp_path, "a.txt", STORY.replace("Innenriks", name))
    status, out, err = run_import(path, "--create-sections")
    assert status == 1
    assert f"{path}, linje 1: seksjonen «{name}» kan ikke opprettes" in err
    assert f"«{slug}» er en fast adresse på nettstedet og kan ikke brukes." in err
    assert "ny seksjon" not in out
    assert not Section.objects.filter(slug=slug).exists()
    assert not Article.objects.exists()


def test_a_body_longer_than_the_form_allows_is_refused(sections, tmp_path):
    body = "Langt avsnitt med æøå. " * (BODY_MAX_LENGTH // 20)
    path = write(tmp_path, "lang.txt", f"Innenriks\n\nTittel\n\nIngress.\n\n{body}\n")
    status, _, err = run_import(path)
    assert status == 1
    assert f"Brødteksten kan være høyst {BODY_MAX_LENGTH} tegn" in err
    assert not Article.objects.exists()


def test_section_names_match_regardless_of_case(sections, tmp_path):
    run_import(write(tmp_path, "a.txt", STORY.replace("Innenriks", "INNENRIKS")))
    assert Article.objects.get().section.slug == "innenriks"


BAD_FILES = {
    "tom.txt": (b"", "filen er tom"),
    "uten-tittel.txt": (b"Innenriks\n", "linje 2: tittelen mangler"),
    "uten-ingress.txt": (b"Innenriks\n\nTittel\n", "linje 4: ingress og br\xc3\xb8dtekst mangler"),
    "uten-brodtekst.txt": (
        b"Innenriks\n\nTittel\n\nIngress.\n",
        "linje 6: br\xc3\xb8dteksten mangler",
    ),
    "latin1.txt": (b"Innenriks\n\nTittel\n\nIngress.\n\nM\xf8tes.\n", "linje 7: ugyldig UTF-8"),
    "bilde.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "ikke en tekstfil"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_gets_a_clear_message_and_writes_nothing(sections, tmp_path, name):
    content, message = BAD_FILES[name]
    path = write(tmp_path, name, content)

    status, out, err = run_import(path)

    assert status == 1
    assert f"[1/1] {path}" in err
    assert message.encode("latin-1").decode("utf-8") in err
    assert "1 av 1 filer kunne ikke importeres" in err
    assert "0 opprettet, 0 oppdatert, 0 uendret, 1 feilet." in out
    assert not Article.objects.exists()


def test_missing_files_and_folders_are_reported(sections, tmp_path):
    status, _, err = run_import(tmp_path / "finnes-ikke.txt", tmp_path)
    assert status == 2
    assert f"{tmp_path / 'finnes-ikke.txt'}: filen finnes ikke" in err
    assert f"[2/2] {tmp_path}: dette er en mappe" in err


def test_one_bad_file_does_not_stop_the_others_and_the_exit_status_counts_failures(
    sections, tmp_path
):
    good = write(tmp_path, "god.txt", STORY)
    empty = write(tmp_path, "tom.txt", "")
    no_body = write(tmp_path, "kort.txt", "Innenriks\n\nTittel\n\nIngress.\n")
    also_good = write(tmp_path, "god2.txt", STORY.replace("Ny bro", "Ny vei"))

    status, out, err = run_import(good, empty, no_body, also_good)

    assert status == 2
    assert sorted(Article.objects.values_list("import_key", flat=True)) == ["god", "god2"]
    assert "[1/4]" in out and "[4/4]" in out
    assert "[2/4]" in err and "[3/4]" in err
    assert "4 filer: 2 opprettet, 0 oppdatert, 0 uendret, 2 feilet." in out
    assert "2 av 4 filer kunne ikke importeres" in err


def test_a_failing_file_in_a_batch_leaves_no_new_section_behind(sections, tmp_path):
    bad = write(tmp_path, "a.txt", "Utland\n\nTittel\n\nIngress.\n\nTekst.\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("articles.importing._set_tags", _fail)
        with pytest.raises(RuntimeError):
            run_import(bad, "--create-sections", "--tags", "x")
    assert not Section.objects.filter(name="Utland").exists()
    assert not Article.objects.exists()


def _fail(*args, **kwargs):
    raise RuntimeError("database gone")


def test_a_database_error_fails_that_file_and_the_batch_goes_on(sections, tmp_path):
    first = write(tmp_path, "a.txt", STORY)
    second = write(tmp_path, "b.txt", STORY.replace("Ny bro", "Ny vei"))
    real_set_tags = importing._set_tags
    calls = []

    def fail_once(article, names):
        calls.append(article)
        if len(calls) == 1:
            raise DatabaseError("verdien er for lang")
        return real_set_tags(article, names)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("articles.importing._set_tags", fail_once)
        status, out, err = run_import(first, second, "--tags", "bro")

    assert status == 1
    assert "[1/2]" in err and "databasefeil, ingenting ble lagret fra filen" in err
    assert list(Article.objects.values_list("import_key", flat=True)) == ["b"]
    assert "2 filer: 1 opprettet, 0 oppdatert, 0 uendret, 1 feilet." in out


def test_windows_line_endings_and_byte_order_mark_import_like_the_seed(sections, tmp_path):
    unix = SEED.read_text(encoding="utf-8")
    windows = write(
        tmp_path, "windows.txt", "\ufeff".encode() + unix.replace("\n", "\r\n").encode()
    )
    run_import(SEED, windows)
    seed_article, windows_article = Article.objects.order_by("pk")
    assert windows_article.import_key == "windows"
    assert (windows_article.title, windows_article.lead, windows_article.body) == (
        seed_article.title,
        seed_article.lead,
        seed_article.body,
    )


def test_export_of_the_reference_article_is_the_seed_without_page_furniture(demo):
    out, err = run_export("kim-jong-un-i-russland-for-a-sikre-seg-tettere-band-med-putin")
    seed = SEED.read_text(encoding="utf-8")
    assert seed.endswith("\n\nMer fra Dagsavisen")
    assert out == seed.removesuffix("\n\nMer fra Dagsavisen") + "\n"
    assert err == ""


def test_importing_an_export_gives_the_same_article(demo, tmp_path):
    original = Article.objects.get(slug="ny-sykkelvei-langs-elvebakken-star-klar")
    path = tmp_path / "sykkelvei.txt"
    _, err = run_export(original.slug, "-o", path)
    assert f"Skrev «{original.title}» til {path}." in err

    status, _, _ = run_import(path)

    assert status == 0
    copy = Article.objects.get(import_key="sykkelvei")
    assert (copy.section, copy.title, copy.lead, copy.body, copy.body_html) == (
        original.section,
        original.title,
        original.lead,
        original.body,
        original.body_html,
    )


def test_exporting_to_the_import_key_and_reimporting_changes_nothing(demo, tmp_path):
    path = tmp_path / "000_fc2e5a0788190f51.txt"
    run_export("kim-jong-un-i-russland-for-a-sikre-seg-tettere-band-med-putin", "-o", path)
    _, out, _ = run_import(path)
    assert "uendret" in out
    assert Article.objects.filter(title__startswith="Kim Jong-un").count() == 1


def test_export_warns_about_what_the_format_cannot_hold(db, tmp_path):
    article = ArticleFactory(body="Et **fett** ord.\n\n## Slutter med punktum.\n\nSiste avsnitt.")
    out, err = run_export(article.slug)
    assert "Et fett ord." in out
    assert "Advarsel" in err


def test_export_names_the_import_key_when_the_file_name_differs(demo, tmp_path):
    _, err = run_export(
        "kim-jong-un-i-russland-for-a-sikre-seg-tettere-band-med-putin", "-o", tmp_path / "kim.txt"
    )
    assert "000_fc2e5a0788190f51.txt" in err


def test_export_of_an_unknown_article_is_an_error(db):
    with pytest.raises(CommandError, match="Fant ingen artikkel med slug «finnes-ikke»"):
        call_command("export_article", "finnes-ikke")


def test_export_to_an_unwritable_place_is_an_error(db, tmp_path):
    article = ArticleFactory(section=SectionFactory())
    with pytest.raises(CommandError, match="Kan ikke skrive til"):
        call_command("export_article", article.slug, "-o", str(tmp_path / "mangler" / "a.txt"))


class RecordingReversion:
    """Stands in for django-reversion, which the editorial workflow branch adds."""

    def __init__(self):
        self.comments, self.saved_in_revision = [], []

    def is_registered(self, model):
        return model is Article

    @contextlib.contextmanager
    def create_revision(self):
        before = set(Article.objects.values_list("pk", "modified_at"))
        yield
        self.saved_in_revision.append(
            set(Article.objects.values_list("pk", "modified_at")) - before
        )

    def set_comment(self, comment):
        self.comments.append(comment)


def test_each_import_is_a_revision_when_revisions_are_installed(sections, tmp_path, monkeypatch):
    recorder = RecordingReversion()
    monkeypatch.setattr("articles.importing.reversion", recorder)
    path = write(tmp_path, "ntb-1.txt", STORY)

    run_import(path)
    write(tmp_path, "ntb-1.txt", STORY.replace("Slutt", "Nytt"))
    run_import(path)

    assert recorder.comments == ["Importert fra ntb-1.txt", "Importert fra ntb-1.txt"]
    assert all(len(saved) == 1 for saved in recorder.saved_in_revision)


def test_the_shell_sees_the_number_of_failed_files_as_exit_status(tmp_path):
    manage = [sys.executable, str(Path(__file__).resolve().parent.parent / "manage.py")]
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
    }
    subprocess.run([*manage, "migrate", "-v0"], env=environment, check=True)  # noqa: S603
    files = [write(tmp_path, "tom.txt", ""), write(tmp_path, "bilde.txt", b"\x00"), SEED]

    finished = subprocess.run(  # noqa: S603
        [*manage, "import_articles", "--create-sections", *map(str, files)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert finished.returncode == 2
    assert "3 filer: 1 opprettet, 0 oppdatert, 0 uendret, 2 feilet." in finished.stdout
    assert "2 av 3 filer kunne ikke importeres" in finished.stderr


# Publishing through the services, edits made in the admin, file size ----------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--publish"], "--publish krever --as BRUKERNAVN"),
        (["--publish", "--as", "ukjent"], "fant ingen aktiv konto med brukernavnet «ukjent»"),
        (["--publish", "--as", "journalist"], "«journalist» har ikke lov til å publisere"),
    ],
)
def test_publishing_needs_a_named_account_that_may_publish(sections, tmp_path, args, message):
    JournalistFactory(username="journalist")
    with pytest.raises(CommandError, match=message):
        call_command("import_articles", str(write(tmp_path, "a.txt", STORY)), *args)
    assert not Article.objects.exists()
    assert not PublicationEvent.objects.exists()


def test_import_with_an_account_names_it_as_creator_and_in_the_history(sections, desk, tmp_path):
    run_import(write(tmp_path, "a.txt", STORY), "--as", "vaktsjef")
    article = Article.objects.get()
    assert (article.created_by, article.last_edited_by) == (desk, desk)
    assert article.status == Article.Status.DRAFT


def test_republishing_an_unchanged_published_article_logs_nothing_new(sections, desk, tmp_path):
    path = write(tmp_path, "a.txt", STORY)
    run_import(path, "--publish", "--as", "vaktsjef")
    status, out, _ = run_import(path, "--publish", "--as", "vaktsjef")
    assert status == 0
    assert "uendret" in out
    assert PublicationEvent.objects.count() == 1


def edit_in_the_admin(article, **changes):
    for name, value in changes.items():
        setattr(article, name, value)
    article.save()


def test_reimport_refuses_to_overwrite_edits_made_in_the_admin(sections, tmp_path):
    path = write(tmp_path, "ntb-1.txt", STORY)
    run_import(path)
    article = Article.objects.get()
    edit_in_the_admin(article, title="Ny bro åpnet i dag", body="Redigert i admin.")
    write(tmp_path, "ntb-1.txt", STORY.replace("Slutt", "Nytt fra byrået"))

    status, _, err = run_import(path)

    assert status == 1
    assert "endret i administrasjonen etter forrige import (tittel, brødtekst)" in err
    assert "--force" in err
    article.refresh_from_db()
    assert (article.title, article.body) == ("Ny bro åpnet i dag", "Redigert i admin.")


def test_reimport_with_force_overwrites_the_edits(sections, tmp_path):
    path = write(tmp_path, "ntb-1.txt", STORY)
    run_import(path)
    edit_in_the_admin(Article.objects.get(), title="Redigert tittel")

    status, out, _ = run_import(path, "--force")

    assert status == 0
    assert "oppdatert «Ny bro åpnet»" in out
    assert Article.objects.get().title == "Ny bro åpnet"
    # Now in step with the file again: the next import needs no --force.
    assert run_import(path)[0] == 0


def test_edits_the_file_does_not_touch_are_kept_without_force(sections, tmp_path):
    path = write(tmp_path, "ntb-1.txt", STORY)
    run_import(path, "--byline", "Kari Nordmann")
    article = Article.objects.get()
    article.byline_set.all().delete()
    edit_in_the_admin(article, title="Ny bro åpnet i dag")
    write(
        tmp_path,
        "ntb-1.txt",
        STORY.replace("Slutt", "Nytt fra byrået").replace("Ny bro åpnet", "Ny bro åpnet i dag"),
    )

    status, _, err = run_import(path)

    assert status == 0, err
    article.refresh_from_db()
    assert "Nytt fra byrået" in article.body
    assert not article.byline_set.exists()


def test_edited_bylines_and_tags_are_named_when_the_import_would_replace_them(sections, tmp_path):
    path = write(tmp_path, "ntb-1.txt", STORY)
    run_import(path, "--byline", "Kari Nordmann", "--tags", "bro")
    article = Article.objects.get()
    article.byline_set.all().delete()
    article.tags.set(["samferdsel"])

    status, _, err = run_import(path, "--byline", "Kari Nordmann", "--tags", "bro")

    assert status == 1
    assert "(bylines, stikkord)" in err
    assert list(article.tags.names()) == ["samferdsel"]


def test_a_file_over_the_size_limit_is_refused_without_reading_it(
    sections, tmp_path, settings, monkeypatch
):
    settings.IMPORT_MAX_BYTES = 1_000
    path = write(tmp_path, "stor.txt", STORY + "Mer tekst.\n\n" * 200)
    monkeypatch.setattr(Path, "open", lambda *args, **kwargs: pytest.fail("opened the file"))

    status, _, err = run_import(path)

    assert status == 1
    assert "filen er større enn 0.001 MB (1000 byte)" in err
    assert not Article.objects.exists()


def test_the_default_size_limit_is_one_megabyte(sections, tmp_path):
    path = write(tmp_path, "stor.txt", STORY + "x" * 1_000_001)
    status, _, err = run_import(path)
    assert status == 1
    assert "filen er større enn 1 MB" in err
    assert run_import(write(tmp_path, "liten.txt", STORY))[0] == 0
