"""The moderation desk by keyboard alone: filter the queue, tick two comments and hide them with a
reason, remove a highlighted phone number or name; and the campaign copies side by side."""

import re

import pytest

from review_app.comments.models import Comment
from review_app.extensions import db
from review_app.moderation.models import ModerationLogEntry

from .conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def active(page, expression):
    return page.evaluate(f"(() => {{ const e = document.activeElement; return {expression}; }})()")


def tab_to(page, test, limit=400):
    """Press Tab until the focused element passes `test` (a JS expression over `e`), and check that
    the focus is visible there: an outline on it or, for a USWDS checkbox, on its drawn box."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active(page, test):
            outline = active(page, "e.type === 'checkbox' ? getComputedStyle(e.labels[0], '::before').outlineStyle"
                                   " : getComputedStyle(e).outlineStyle")
            assert outline not in ("none", ""), f"no visible focus on {active(page, 'e.outerHTML')}"
            return
    pytest.fail(f"nothing matching {test} can be reached with Tab")


def choose_by_keyboard(page, label):
    """In the focused <select>, press the down arrow until the chosen option's text starts with `label`."""
    for _ in range(30):
        if active(page, "e.options[e.selectedIndex].text").startswith(label):
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"no option {label!r}")


def test_a_moderator_filters_selects_hides_and_redacts_by_keyboard_alone(page, live_app):
    sign_in(page, "moderator@demo.civic-review.invalid")
    page.goto("/moderation/")
    tab_to(page, "e.id === 'round'")
    choose_by_keyboard(page, "Moving $4.2M")
    tab_to(page, "e.id === 'reason'")
    choose_by_keyboard(page, "Tags need review")
    tab_to(page, "e.type === 'submit' && e.textContent.trim() === 'Filter'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"reason=uncertain"))

    chosen = []
    for _ in range(2):
        tab_to(page, f"e.id.startsWith('select-') && !{chosen!r}.includes(e.value)")
        page.keyboard.press("Space")
        chosen.append(active(page, "e.value"))
    assert page.locator("input[name=ids]:checked").count() == 2
    tab_to(page, "e.id === 'bulk-reason'")
    choose_by_keyboard(page, "Off-topic")
    tab_to(page, "e.id === 'bulk-note'")
    page.keyboard.type("checked by keyboard")
    screenshot(page, "moderation-desk-selection-desktop")
    tab_to(page, "e.textContent.trim() === 'Hide the selected from the public'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text(f"2 comments decided: {chosen[0]}, {chosen[1]}.").is_visible()
    with live_app.app_context():
        for comment_id in chosen:
            assert (db.session.get(Comment, int(comment_id)).status, db.session.get(Comment, int(comment_id)).moderation_reason) == ("hidden", "off_topic")
        notes = db.session.query(ModerationLogEntry.note).filter(ModerationLogEntry.comment_id.in_(map(int, chosen)),
                                                                 ModerationLogEntry.action == "hide").all()
        assert [n for (n,) in notes] == ["checked by keyboard"] * 2
        db.session.remove()

    page.goto("/moderation/?reason=held")
    tab_to(page, "e.textContent.trim().startsWith('Remove this')")
    comment_id = int(re.search(r"/comments/(\d+)/", active(page, "e.form.action")).group(1))
    removed = active(page, "e.form.elements.text.value")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text(f"Removed from comment {comment_id}").is_visible()
    with live_app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert removed in comment.body and removed not in comment.public_body
        db.session.remove()
    screenshot(page, "moderation-desk-after-redaction-desktop")


def test_the_campaign_copies_side_by_side_are_accessible(page, phone):
    sign_in(page, "moderator@demo.civic-review.invalid")
    page.goto("/moderation/")
    page.get_by_role("link", name=re.compile("^Compare the copies side by side")).first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Possible form-letter campaign")
    assert page.locator("ins").count() > 0 and page.locator("del, ins").first.locator(".usa-sr-only").count() == 1
    assert page.get_by_role("button", name=re.compile("^Confirm campaign")).is_visible()
    assert axe_violations(page) == []
    screenshot(page, "moderation-campaign-desktop")
    sign_in(phone, "moderator@demo.civic-review.invalid")
    phone.goto(page.url)
    assert axe_violations(phone) == []
    assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    screenshot(phone, "moderation-campaign-phone")


@pytest.mark.parametrize("url", ["/moderation/?reason=held", "/moderation/?reason=uncertain"])
def test_the_queue_with_its_remove_buttons_and_checkboxes_is_accessible(page, phone, url):
    for view, width in ((page, "desktop"), (phone, "phone")):
        sign_in(view, "moderator@demo.civic-review.invalid")
        assert view.goto(url).status == 200
        assert axe_violations(view) == [], f"{url} at {width}"
    assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    screenshot(phone, "moderation-queue-held-phone" if "held" in url else "moderation-queue-selection-phone")
