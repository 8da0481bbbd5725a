"""Whole journeys in Chromium: a resident, a moderator, an official, and the public report."""

import re

import pytest

from .conftest import axe_violations, emailed_link, screenshot, sign_in

pytestmark = pytest.mark.browser
UOF = "/rounds/use-of-force-2026"


KEYBOARD_JOURNEYS = {  # language: (skip link, send button, receipt heading, comment)
    "en": ("Skip to main content", "Send comment", "Your comment is saved",
           "Keep the ban on neck restraints exactly as written, please."),
    "es": ("Ir al contenido principal", "Enviar comentario", "Su comentario está guardado",
           "Que la prohibición de las llaves al cuello quede tal como está escrita."),
}


@pytest.mark.parametrize("language", KEYBOARD_JOURNEYS)
def test_a_resident_comments_on_a_section_by_keyboard_alone(page, language):
    skip, send, saved, text = KEYBOARD_JOURNEYS[language]
    page.goto(f"/language/{language}?next={UOF}/sections/5")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent").strip() == skip
    for _ in range(60):  # walk the page with Tab until the comment box has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "body":
            break
    else:
        pytest.fail("the comment box cannot be reached with Tab")
    page.keyboard.type(text)
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit" and page.evaluate("document.activeElement.value") == send:
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/comments/receipt/CR-"))
    assert page.get_by_role("heading", level=1).inner_text() == saved
    screenshot(page, f"receipt-keyboard-{language}-desktop")
    page.goto(f"{UOF}/sections/5")
    assert page.get_by_text(text).is_visible()


def test_a_resident_registers_confirms_replies_supports_and_flags(page, live_app):
    page.goto("/account/register")
    page.get_by_label("Email address").fill("new.resident@example.org")
    page.get_by_label("Display name").fill("Nia")
    page.get_by_label("Password", exact=True).fill("plum kettle harbour seven")
    page.get_by_label("Password again").fill("plum kettle harbour seven")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_text("Check your email to finish creating your account").is_visible()
    page.goto(emailed_link(live_app, "new.resident@example.org"))
    page.get_by_label("Your password").fill("plum kettle harbour seven")
    page.get_by_role("button", name="Confirm my email address").click()
    assert page.get_by_text("Your email address is confirmed").is_visible()

    page.goto(f"{UOF}?sort=supported")
    page.get_by_role("link", name=re.compile("^Reply")).first.click()
    page.get_by_label("Your comment").fill("I agree, and the training budget has to follow.")
    page.get_by_role("button", name="Send comment").click()
    page.wait_for_url(re.compile(r"/comments/receipt/"))

    page.goto(f"{UOF}?sort=supported")
    page.get_by_role("button", name="This matters to me too").first.click()
    assert page.get_by_text("your support is counted").is_visible()
    page.get_by_role("link", name=re.compile("^Flag")).first.click()
    page.get_by_label("It is off-topic").check()
    page.get_by_role("button", name="Send to moderators").click()
    assert page.get_by_text("Moderators will look at it").is_visible()
    page.goto("/my/comments")
    assert page.get_by_text("I agree, and the training budget has to follow.").is_visible()


def test_a_comment_with_a_phone_number_is_held_redacted_and_published_without_it(page, phone):
    text = "Officers kept my cousin in the cruiser for an hour. Call me at 555-404-7788 and I will tell you the rest."
    phone.goto(UOF)
    phone.get_by_label("Your comment", exact=True).fill(text)
    phone.get_by_role("button", name="Send comment").click()
    phone.wait_for_url(re.compile(r"/comments/receipt/CR-"))
    assert phone.get_by_text("Your comment is held, not published yet.").is_visible()
    assert phone.get_by_text(re.compile("a phone number")).is_visible()
    screenshot(phone, "receipt-held-phone")
    phone.goto(f"{UOF}?sort=newest")
    assert "kept my cousin in the cruiser" not in phone.content()  # the round is post-moderated, and still

    sign_in(page, "moderator@demo.civic-review.invalid")
    page.goto("/moderation/?reason=held")
    screenshot(page, "moderation-queue-desktop")
    item = page.locator(".queue-item", has_text="kept my cousin in the cruiser")
    assert item.locator("mark.pii").first.inner_text().startswith("555-404-7788")
    item.get_by_role("link", name=re.compile(r"^Comment \d+$")).click()
    suggested = page.get_by_label("Text the public will see").input_value()
    assert "[phone number removed]" in suggested and "555-404-7788" not in suggested
    screenshot(page, "moderation-comment-desktop")
    page.get_by_role("button", name="Publish the redacted text").click()
    assert page.get_by_text("The redacted text is what the public will see").is_visible()

    phone.goto(f"{UOF}?sort=newest")
    published = phone.locator(".comment", has_text="kept my cousin in the cruiser").first
    assert "[phone number removed]" in published.inner_text() and "555-404-7788" not in phone.content()
    screenshot(phone, "published-redacted-phone")


def test_a_moderator_confirms_a_campaign_and_the_log_shows_it(page):
    sign_in(page, "moderator@demo.civic-review.invalid")
    page.goto("/moderation/")
    page.get_by_role("button", name=re.compile("^Confirm campaign")).first.click()
    assert page.get_by_text("Campaign confirmed").is_visible()
    page.goto("/moderation/log")
    assert page.get_by_role("cell", name="confirm campaign").first.is_visible()
    assert page.get_by_role("cell", name="hold").first.is_visible()


def leaving_is_stopped(page) -> bool:
    """Whether the page's beforeunload handler would make the browser ask before leaving."""
    return page.evaluate("() => { const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; }")


def test_an_official_reads_filters_pins_writes_the_plan_publishes_and_the_public_reads_it(page, browser, live_server):
    sign_in(page, "official@demo.civic-review.invalid")
    # From the header to the round's summary, through the staff home.
    page.get_by_role("link", name="Staff home").click()
    round_box = page.locator("section", has=page.get_by_role("heading", name=re.compile(r"^Moving \$4\.2M")))
    round_box.get_by_role("link", name="Summary", exact=True).click()
    assert page.get_by_role("heading", name="What residents said").is_visible()
    screenshot(page, "summary-desktop")
    # Filter, then drill down from the overview to the comments behind a theme, filter kept.
    page.get_by_label("Stance").select_option("support")
    page.get_by_role("button", name="Apply filters").click()
    assert "stance=support" in page.url and page.get_by_text("Showing only the comments that match").is_visible()
    page.locator("table").first.get_by_role("link").first.click()
    assert page.get_by_role("heading", name=re.compile("^Every comment on")).is_visible() and "stance=support" in page.url
    pinned = page.locator("article.comment").first.locator(".comment-body").inner_text()
    page.get_by_role("button", name="Pin for the report").first.click()
    assert page.get_by_text(re.compile(r"Comment \d+ is pinned as a quote")).is_visible()
    page.get_by_role("link", name="Back to the summary").click()
    page.get_by_role("link", name="Response plan").first.click()
    # Two themes typed before one save: both are kept.
    page.locator("#theme-process_feedback").get_by_label("What we will do").fill("Evening meetings with childcare, from January.")
    page.locator("#theme-process_feedback").get_by_label("Status").select_option("done")
    page.locator("#theme-data_transparency").get_by_label("Due date").fill("2027-05-31")
    # Leaving now would lose them: the page asks first (plan.js).
    assert leaving_is_stopped(page)
    page.get_by_role("button", name="Save all themes").click()
    assert page.get_by_text("Saved: 2 themes changed").is_visible()  # the others were left as drafted
    assert not leaving_is_stopped(page)  # saved: nothing to warn about
    screenshot(page, "plan-desktop")
    page.get_by_role("link", name="Preview and publish").click()
    assert page.get_by_role("heading", name=re.compile("themes have no answer yet|Every theme has an answer")).is_visible()
    assert page.get_by_text("Evening meetings with childcare, from January.").is_visible()
    screenshot(page, "publish-preview-desktop")
    page.get_by_label(re.compile("What changed since the last version")).fill("Meeting times answered")
    # The demo's plan went through a response review: version 1 was the draft, 2 the final plan.
    page.get_by_role("button", name="Publish version 3").click()
    page.get_by_text("Version 3 of the report is public.").wait_for()
    assert page.get_by_text("What changed in the city's answers since version 2").is_visible()

    resident = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740}).new_page()
    resident.goto("/rounds/crisis-response-budget-2026/report")
    assert resident.get_by_text("Evening meetings with childcare, from January.").is_visible()
    assert resident.get_by_text(pinned[:60]).first.is_visible()  # the pinned quote is in the published report
    assert resident.get_by_role("link", name="CSV").is_visible()
    screenshot(resident, "public-report-phone")


def test_a_resident_switches_to_spanish_comments_and_the_page_stays_accessible(phone):
    phone.goto(f"{UOF}/sections/2")
    phone.get_by_role("link", name="Español").click()
    assert phone.locator("html").get_attribute("lang") == "es"
    assert phone.get_by_role("heading", name="Comente sobre la sección 2").is_visible()
    assert axe_violations(phone) == []
    screenshot(phone, "section-spanish-phone")
    phone.get_by_label("Su comentario", exact=True).fill("Que publiquen cada uso de la fuerza en la página de la ciudad.")
    phone.get_by_role("button", name="Enviar comentario").click()
    phone.wait_for_url(re.compile(r"/comments/receipt/CR-"))
    assert phone.get_by_role("heading", level=1).inner_text() == "Su comentario está guardado"
    phone.get_by_role("link", name="English").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Your comment is saved"
