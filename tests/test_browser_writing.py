"""The writing screen in Chromium, as a journalist from the newsroom's groups uses it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from articles.photos import Image
from tests import image_files
from tests.factories import PASSWORD, ArticleFactory, JournalistFactory, PersonFactory
from tests.screenshots import keep_screenshot

pytestmark = pytest.mark.browser

SEED_TITLE = "Kim Jong-un i Russland for å sikre seg tettere bånd med Putin"


@pytest.fixture
def journalist_page(demo_site, page):
    """A journalist logged in to the demo site; CSP refusals and script errors are collected."""
    journalist = JournalistFactory(username="kari", first_name="Kari", last_name="Nordmann")
    PersonFactory(name="Kari Nordmann", user=journalist)
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(demo_site.url + "/admin/")
    page.get_by_label("Brukernavn").fill(journalist.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Skriv, planlegg og publiser")).to_be_visible()
    page.journalist = journalist
    page.problems = problems
    yield page
    assert problems == []


@pytest.fixture
def own_copy_of_the_seed(journalist_page):
    """A draft by the journalist with the seed article's text, section and lead photo."""
    seed = Article.objects.get(title=SEED_TITLE)
    return ArticleFactory(
        title=seed.title,
        lead=seed.lead,
        body=seed.body,
        section=seed.section,
        lead_image=seed.lead_image,
        created_by=journalist_page.journalist,
        bylines=[journalist_page.journalist.person],
    )


def open_change_form(page, url, article):
    page.goto(f"{url}/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".writing-preview[data-rendered]")).to_be_attached()


def test_preview_shows_the_body_as_the_published_page_does(demo_site, journalist_page):
    page = journalist_page
    seed = Article.objects.get(title=SEED_TITLE)
    page.goto(demo_site.url + "/admin/articles/article/add/")
    page.get_by_label("Tittel").fill(seed.title)
    page.get_by_label("Ingress").fill(seed.lead)
    page.get_by_label("Brødtekst").fill(seed.body)
    preview = page.locator("#writing-preview")
    expect(preview.locator(".writing-preview__title")).to_have_text(seed.title)
    expect(preview.locator(".writing-preview__body h2").first).to_have_text("Møtes på romsenter?")
    previewed = preview.locator(".writing-preview__body").inner_html().strip()

    page.goto(demo_site.url + seed.get_absolute_url())
    assert page.locator(".article__body").inner_html().strip() == previewed


def test_preview_follows_typing_and_says_so_when_too_long(demo_site, journalist_page):
    page = journalist_page
    page.goto(demo_site.url + "/admin/articles/article/add/")
    body = page.get_by_label("Brødtekst")
    body.press_sequentially("## Mellomtittel\n\n– Sitat her.")
    preview = page.locator("#writing-preview .writing-preview__body")
    expect(preview.locator("h2")).to_have_text("Mellomtittel")
    expect(preview.locator("p.dash-quote")).to_have_text("– Sitat her.")

    body.fill("x" * 200_001)
    expect(page.locator(".writing-preview__status")).to_have_text(
        "Brødtekst er for lang til forhåndsvisning: høyst 200000 tegn."
    )
    assert Article.objects.count() == Article.objects.filter(title=SEED_TITLE).count() + (
        Article.objects.exclude(title=SEED_TITLE).count()
    )  # typing saved nothing new: only the demo's articles


def test_title_counts_its_characters(demo_site, journalist_page):
    page = journalist_page
    page.goto(demo_site.url + "/admin/articles/article/add/")
    page.get_by_label("Tittel").fill("Kort tittel")
    expect(page.locator("#id_title_count")).to_have_text("11 av anbefalt høyst 70 tegn")
    page.get_by_label("Tittel").fill("x" * 75)
    expect(page.locator("#id_title_count")).to_have_text("75 tegn, 5 over anbefalt lengde (70)")


def test_layout_on_a_wide_screen(demo_site, journalist_page, own_copy_of_the_seed):
    page = journalist_page
    page.set_viewport_size({"width": 1280, "height": 900})
    open_change_form(page, demo_site.url, own_copy_of_the_seed)
    text = page.get_by_label("Brødtekst").bounding_box()
    preview = page.locator("#writing-preview").bounding_box()
    assert preview["x"] >= text["x"] + text["width"]  # side by side
    assert abs(preview["y"] - text["y"]) < 40
    expect(page.locator(".writing-preview-toggle")).to_be_hidden()
    title = page.get_by_label("Tittel").bounding_box()
    assert title["width"] > 0.9 * (text["width"] + preview["width"])
    expect(page.locator("#id_lead_image_current img")).to_be_visible()
    keep_screenshot(page, "writing-1280", full_page=True)


def test_layout_on_a_phone(demo_site, journalist_page, own_copy_of_the_seed):
    page = journalist_page
    page.set_viewport_size({"width": 375, "height": 812})
    open_change_form(page, demo_site.url, own_copy_of_the_seed)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    preview = page.locator("#writing-preview")
    expect(preview).to_be_hidden()
    toggle = page.get_by_role("button", name="Vis forhåndsvisning")
    toggle.click()
    expect(preview).to_be_visible()
    expect(page.get_by_role("button", name="Skjul forhåndsvisning")).to_have_attribute(
        "aria-expanded", "true"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    keep_screenshot(page, "writing-375", full_page=True)


@pytest.mark.parametrize("form", ["add", "change"])
def test_article_form_passes_axe_core(demo_site, journalist_page, own_copy_of_the_seed, form):
    page = journalist_page
    if form == "add":
        page.goto(demo_site.url + "/admin/articles/article/add/")
        page.get_by_label("Brødtekst").fill("## Mellomtittel\n\nAvsnitt.")
        expect(page.locator(".writing-preview__body h2")).to_have_text("Mellomtittel")
    else:
        open_change_form(page, demo_site.url, own_copy_of_the_seed)
    assert page.problems == []
    results = Axe().run(page)
    page.problems.clear()  # axe-core's own injected styles, refused by the CSP
    assert results.violations_count == 0, results.generate_report()


def test_picker_chooses_a_lead_photo_and_inserts_one_in_the_body(
    demo_site, journalist_page, own_copy_of_the_seed
):
    page = journalist_page
    article = own_copy_of_the_seed
    wanted = Image.objects.exclude(pk=article.lead_image_id).first()
    open_change_form(page, demo_site.url, article)

    page.get_by_role("button", name="Velg eller last opp bilde").click()
    picker = page.get_by_role("dialog", name="Velg bilde")
    expect(picker).to_be_visible()
    expect(picker.locator(".photo-picker__photo img").first).to_be_visible()
    picker.get_by_label("Søk i bildearkivet").fill(wanted.alt_text.split()[-1])
    picker.get_by_role("button", name="Søk", exact=True).click()
    picker.locator(f'[data-photo-id="{wanted.pk}"]').click()
    expect(picker).to_be_hidden()
    expect(page.locator("#id_lead_image")).to_have_value(str(wanted.pk))
    expect(page.locator("#id_lead_image_current img")).to_have_attribute("alt", wanted.alt_text)

    page.get_by_label("Brødtekst").press("Control+End")
    page.get_by_role("button", name="Sett inn bilde i teksten").click()
    picker.locator(f'[data-photo-id="{wanted.pk}"]').click()
    expect(page.get_by_label("Brødtekst")).to_have_value(
        f"{article.body.rstrip()}\n\n![{wanted.alt_text}](bilde:{wanted.pk})\n"
    )
    expect(page.locator(".writing-preview__body figure").last).to_be_visible()

    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(page.locator(".messagelist")).to_contain_text("ble endret")
    article.refresh_from_db()
    assert article.lead_image == wanted
    assert f"(bilde:{wanted.pk})" in article.body


def test_picker_uploads_a_new_photo_and_explains_a_bad_one(
    demo_site, journalist_page, own_copy_of_the_seed, tmp_path
):
    page = journalist_page
    article = own_copy_of_the_seed
    open_change_form(page, demo_site.url, article)
    page.get_by_role("button", name="Velg eller last opp bilde").click()
    picker = page.get_by_role("dialog", name="Velg bilde")
    picker.get_by_text("Last opp et nytt bilde").click()
    expect(picker.locator(".photo-picker__photo img").first).to_be_visible()
    results = Axe().run(page)
    page.problems.clear()  # axe-core's own injected styles, refused by the CSP
    assert results.violations_count == 0, results.generate_report()

    fake = tmp_path / "ikke-bilde.jpg"
    fake.write_bytes(image_files.HTML_PAGE)
    picker.get_by_label("Bildefil").set_input_files(fake)
    picker.get_by_label("Alternativ tekst").fill("Noe")
    picker.get_by_role("button", name="Last opp og velg").click()
    expect(picker.locator("#photo_upload_file_error")).to_contain_text(
        "Filen er SVG, HTML eller annen kode, ikke et bilde."
    )
    before = Image.objects.count()

    photo = tmp_path / "valgvake.jpg"
    photo.write_bytes(image_files.photo_bytes())
    picker.get_by_label("Bildefil").set_input_files(photo)
    picker.get_by_label("Alternativ tekst").fill("Folk på valgvake")
    picker.get_by_label("Bildetekst").fill("Valgvaken i Oslo.")
    picker.get_by_role("button", name="Last opp og velg").click()
    expect(picker).to_be_hidden()
    uploaded = Image.objects.get(alt_text="Folk på valgvake")
    assert Image.objects.count() == before + 1
    expect(page.locator("#id_lead_image")).to_have_value(str(uploaded.pk))
    expect(page.locator("#id_lead_image_current")).to_contain_text("Valgvaken i Oslo.")

    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(page.locator(".messagelist")).to_contain_text("ble endret")
    article.refresh_from_db()
    assert article.lead_image == uploaded
