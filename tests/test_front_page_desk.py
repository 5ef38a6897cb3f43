"""The desk arranges the front page and pins stories on section fronts (articles/admin.py,
services.place_on_front): what readers see in each slot, when, and who may change it."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import FrontPlacement, PublicationEvent
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    JournalistFactory,
    PersonFactory,
    SectionFactory,
)
from tests.html import elements, texts

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_frontplacement_add")


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def front_titles(client, url="/"):
    """Teaser titles in page order: on the front page the first one is the main story."""
    response = client.get(url)
    assert response.status_code == 200
    return [
        element["text"].strip()
        for element in elements(response.content.decode())
        if element["attrs"].get("class") == "teaser__title"
    ]


def top_titles(client):
    """The main story and the stories under it (the top of the front page)."""
    html = client.get("/").content.decode()
    top = html.split('aria-labelledby="siste-nytt"', 1)[1].split("</section>", 1)[0]
    return [
        element["text"].strip()
        for element in elements(top)
        if element["attrs"].get("class") == "teaser__title"
    ]


@pytest.fixture
def archive():
    """Ten published stories, «Sak 0» the newest, one hour apart."""
    section = SectionFactory(name="Innenriks", slug="innenriks")
    return [
        ArticleFactory(
            title=f"Sak {n}", published=True, published_at=hours_ago(n), section=section
        )
        for n in range(10)
    ]


def place(article, slot=1, *, by=None, **fields):
    placement = FrontPlacement(article=article, slot=slot, **fields)
    return services.place_on_front(placement=placement, by=by or EditorFactory())


def form_data(article, slot=1, *, section="", starts_at=None, ends_at=None):
    starts = timezone.localtime(starts_at or timezone.now())
    ends = timezone.localtime(ends_at) if ends_at else None
    return {
        "section": section,
        "slot": slot,
        "article": article.pk,
        "starts_at_0": starts.strftime("%d.%m.%Y"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%d.%m.%Y") if ends else "",
        "ends_at_1": ends.strftime("%H:%M:%S") if ends else "",
    }


def test_without_placements_the_newest_story_leads(client, archive):
    assert top_titles(client) == [f"Sak {n}" for n in range(7)]


def test_an_editor_makes_an_older_story_the_main_story_and_orders_those_under_it(
    client, editor, archive
):
    for slot, n in [(1, 8), (2, 5), (3, 9), (4, 6)]:
        response = client.post(ADD_URL, form_data(archive[n], slot))
        assert response.status_code == 302, response.context["adminform"].form.errors

    client.logout()
    # The placed stories in their slots, then the newest not placed.
    assert top_titles(client) == ["Sak 8", "Sak 5", "Sak 9", "Sak 6", "Sak 0", "Sak 1", "Sak 2"]
    # No story shows twice on the page.
    titles = front_titles(client)
    assert len(titles) == len(set(titles))
    events = PublicationEvent.objects.filter(action=PublicationEvent.Action.PLACED)
    assert {(event.article.title, event.by) for event in events} == {
        (f"Sak {n}", editor) for n in (8, 5, 9, 6)
    }


def test_removing_a_placement_gives_the_slot_back_to_the_newest(client, archive):
    editor = EditorFactory()
    placement = place(archive[8], by=editor)
    assert top_titles(client)[0] == "Sak 8"

    services.remove_from_front(placement=placement, by=editor)

    assert top_titles(client)[0] == "Sak 0"
    assert (
        archive[8]
        .publication_events.filter(action=PublicationEvent.Action.REMOVED, by=editor)
        .exists()
    )


@pytest.mark.parametrize(
    "hide",
    [
        pytest.param(lambda a, by: services.unpublish_article(article=a, by=by), id="unpublished"),
        pytest.param(lambda a, by: services.move_to_bin(article=a, by=by), id="binned"),
        pytest.param(
            lambda a, by: services.schedule_article(
                article=a, by=by, at=timezone.now() + datetime.timedelta(hours=1)
            ),
            id="scheduled",
        ),
    ],
)
def test_a_placed_story_readers_may_not_see_never_shows_and_its_slot_takes_the_newest(
    client, archive, hide
):
    editor = EditorFactory()
    place(archive[8], by=editor)
    pinned = place(archive[9], by=editor, section=archive[9].section)

    hide(archive[8], editor)
    hide(archive[9], editor)

    assert top_titles(client)[0] == "Sak 0"
    assert "Sak 8" not in front_titles(client)
    section_titles = front_titles(client, pinned.section.get_absolute_url())
    assert section_titles[0] == "Sak 0"
    assert "Sak 9" not in section_titles


def test_a_pin_ends_at_its_end_time(client, archive, monkeypatch):
    ends_at = timezone.now() + datetime.timedelta(minutes=30)
    place(archive[8], ends_at=ends_at)
    assert top_titles(client)[0] == "Sak 8"

    later = ends_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert top_titles(client)[0] == "Sak 0"


def test_the_newest_started_placement_of_a_slot_wins(client, archive):
    place(archive[8], starts_at=hours_ago(2))
    place(archive[5], starts_at=hours_ago(1))

    assert top_titles(client)[:2] == ["Sak 5", "Sak 0"]


@pytest.fixture
def page_cache(page_cache, settings):
    settings.ARTICLE_FRAGMENT_TIMEOUT = 86_400


@pytest.mark.parametrize("change", ["starts", "ends"])
def test_a_scheduled_change_shows_on_time_through_the_page_cache(
    client, archive, page_cache, monkeypatch, change
):
    at = timezone.now() + datetime.timedelta(minutes=5)
    if change == "starts":
        place(archive[8], starts_at=at)
        before, after = "Sak 0", "Sak 8"
    else:
        place(archive[8], ends_at=at)
        before, after = "Sak 8", "Sak 0"
    assert top_titles(client)[0] == before
    assert top_titles(client)[0] == before  # now from the page cache

    later = at + datetime.timedelta(seconds=1)
    clock_shift = (later - timezone.now()).total_seconds()
    real_time = time.time
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda: real_time() + clock_shift)

    assert top_titles(client)[0] == after


def test_a_placement_shows_at_once_through_the_page_cache(client, archive, page_cache):
    assert top_titles(client)[0] == "Sak 0"
    placement = place(archive[8])
    assert top_titles(client)[0] == "Sak 8"
    services.remove_from_front(placement=placement, by=EditorFactory())
    assert top_titles(client)[0] == "Sak 0"


def test_a_story_pinned_on_its_section_front_comes_first(client, archive):
    section = archive[0].section
    place(archive[9], section=section)

    assert front_titles(client, section.get_absolute_url())[:2] == ["Sak 9", "Sak 0"]
    # A section pin is not a front-page placement.
    assert top_titles(client)[0] == "Sak 0"


@pytest.mark.parametrize("lookahead_pages", [1, 5])
def test_a_section_front_with_a_pin_pages_through_every_story_once(
    client, monkeypatch, lookahead_pages
):
    monkeypatch.setattr("articles.pagination.LOOKAHEAD_PAGES", lookahead_pages)
    section = SectionFactory(name="Innenriks", slug="innenriks")
    stories = [
        ArticleFactory(
            title=f"Sak {n}", published=True, published_at=hours_ago(n), section=section
        )
        for n in range(45)
    ]
    place(stories[44], section=section)

    pages = [front_titles(client, f"/innenriks/?side={n}") for n in (1, 2, 3)]
    assert pages[0][:2] == ["Sak 44", "Sak 0"]
    assert [len(page) for page in pages] == [20, 20, 5]
    assert [title for page in pages for title in page] == [
        "Sak 44",
        *(f"Sak {n}" for n in range(44)),
    ]


def test_a_section_taken_off_the_front_gets_no_block(client, archive):
    sport = SectionFactory(name="Sport", slug="sport")
    ArticleFactory(title="Sportssak", published=True, published_at=hours_ago(20), section=sport)
    assert "Sportssak" in front_titles(client)

    sport.on_front = False
    sport.save()

    assert "Sportssak" not in front_titles(client)


# Who may arrange the front


def test_a_journalist_cannot_open_the_front_page_screen(client, journalist, archive):
    place(archive[8])
    placement = FrontPlacement.objects.get()
    for url in (
        reverse("admin:articles_frontplacement_changelist"),
        ADD_URL,
        reverse("admin:articles_frontplacement_change", args=[placement.pk]),
        reverse("admin:articles_frontplacement_delete", args=[placement.pk]),
    ):
        assert client.get(url).status_code == 403, url
    index = client.get(reverse("admin:index")).content.decode()
    assert "articles/frontplacement" not in index


def test_a_journalists_forged_post_changes_nothing(client, journalist, archive):
    placement = place(archive[8])

    added = client.post(ADD_URL, form_data(archive[9], 2))
    changed = client.post(
        reverse("admin:articles_frontplacement_change", args=[placement.pk]),
        form_data(archive[9], 1),
    )
    deleted = client.post(
        reverse("admin:articles_frontplacement_delete", args=[placement.pk]), {"post": "yes"}
    )

    assert [added.status_code, changed.status_code, deleted.status_code] == [403, 403, 403]
    assert list(FrontPlacement.objects.values_list("slot", "article__title")) == [(1, "Sak 8")]
    assert top_titles(client)[0] == "Sak 8"


def test_the_service_refuses_a_journalist(archive):
    with pytest.raises(services.ArrangingNotAllowed):
        place(archive[8], by=JournalistFactory())
    placement = place(archive[8])
    with pytest.raises(services.ArrangingNotAllowed):
        services.remove_from_front(placement=placement, by=JournalistFactory())
    assert FrontPlacement.objects.count() == 1
    assert not PublicationEvent.objects.filter(by__groups__name="Journalist").exists()


# Bad input


def test_an_end_before_the_start_is_refused_with_a_clear_message(client, editor, archive):
    response = client.post(
        ADD_URL, form_data(archive[8], starts_at=timezone.now(), ends_at=hours_ago(1))
    )

    assert response.status_code == 200
    assert "«Vises til» må være etter «Vises fra»." in response.content.decode()
    assert not FrontPlacement.objects.exists()
    assert not PublicationEvent.objects.filter(action=PublicationEvent.Action.PLACED).exists()


def test_a_pin_on_another_sections_front_is_refused(client, editor, archive):
    kultur = SectionFactory(name="Kultur", slug="kultur")

    response = client.post(ADD_URL, form_data(archive[8], section=kultur.pk))

    assert response.status_code == 200
    assert "Saken hører til seksjonen Innenriks." in response.content.decode()
    assert not FrontPlacement.objects.exists()


def test_the_screen_lists_what_is_active_and_what_is_planned(client, editor, archive):
    place(archive[8])
    place(archive[7], 2)
    place(archive[5], 3, starts_at=timezone.now() + datetime.timedelta(hours=1))
    services.unpublish_article(article=archive[8], by=editor)

    listing = client.get(reverse("admin:articles_frontplacement_changelist"))

    states = {
        placement.article.title: listing.context["cl"].model_admin.state(placement)
        for placement in listing.context["cl"].result_list
    }
    assert states == {
        "Sak 8": "Vises ikke: saken er ikke publisert",
        "Sak 7": "Aktiv",
        "Sak 5": "Planlagt",
    }


# Layouts


def test_opinion_shows_in_its_own_block_with_the_writers_name_unless_the_desk_places_it(
    client, archive
):
    debatt = SectionFactory(name="Debatt", slug="debatt", opinion=True)
    writer = PersonFactory(name="Kari Kronikør")
    opinion = ArticleFactory(
        title="Byen trenger flere benker",
        published=True,
        published_at=timezone.now() - datetime.timedelta(minutes=5),
        section=debatt,
        bylines=[writer],
    )

    assert "Byen trenger flere benker" not in top_titles(client)
    html = client.get("/").content.decode()
    block = html.split('id="seksjon-debatt"', 1)[1].split("</section>", 1)[0]
    assert [
        element["text"] for element in elements(block, "p", **{"class": "teaser__writer"})
    ] == ["Kari Kronikør"]
    assert "Byen trenger flere benker" in block

    place(opinion)
    assert top_titles(client)[0] == "Byen trenger flere benker"


def test_a_teaser_without_a_photo_shows_its_lead_in_a_block(client, archive):
    sport = SectionFactory(name="Sport", slug="sport")
    ArticleFactory(
        title="Seier på hjemmebane",
        lead="Laget vant 3–0 foran fullt hus.",
        published=True,
        published_at=hours_ago(30),
        section=sport,
    )

    html = client.get("/").content.decode()
    block = html.split('id="seksjon-sport"', 1)[1].split("</section>", 1)[0]
    assert texts(block, "p", **{"class": "teaser__lead"}) == ["Laget vant 3–0 foran fullt hus."]
