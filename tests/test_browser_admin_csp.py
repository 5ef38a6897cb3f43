import pytest
from playwright.sync_api import expect

from tests.factories import PersonFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_page(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("redaktor", "r@example.no", "hemmelig-passord-1")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Brukernavn").fill("redaktor")
    page.get_by_label("Passord").fill("hemmelig-passord-1")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Skriv, planlegg og publiser")).to_be_visible()
    page.violations = violations
    return page


def test_admin_article_form_works_under_the_content_security_policy(live_server, editor_page):
    SectionFactory(name="Verden", slug="verden")
    PersonFactory(name="Ola Nordmann")
    page = editor_page
    page.goto(live_server.url + "/admin/articles/article/add/")

    page.get_by_label("Tittel").press_sequentially("Møtes på romsenter")
    expect(page.get_by_label("Slug")).to_have_value("motes-pa-romsenter")

    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Ver")
    page.get_by_role("option", name="Verden").click()
    expect(page.locator("#select2-id_section-container")).to_have_text("Verden")

    page.locator("#byline_set-0 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Ola")
    page.get_by_role("option", name="Ola Nordmann").click()

    page.get_by_role("link", name="I dag").first.click()
    page.get_by_role("link", name="Nå").first.click()
    assert page.locator("#id_schedule_at_0").input_value()
    page.locator("#id_schedule_at_0").fill("")
    page.locator("#id_schedule_at_1").fill("")

    page.get_by_label("Ingress").fill("Ingressen.")
    page.get_by_label("Brødtekst").fill("Første avsnitt.")
    page.get_by_role("button", name="Lagre", exact=True).click()
    # Saving proves the CSRF token travels in the form although the cookie is HttpOnly.
    expect(page.locator(".messagelist .success")).to_contain_text("ble lagt til")

    assert page.violations == []
