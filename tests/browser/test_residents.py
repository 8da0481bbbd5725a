"""A resident's interactions in Chromium: focus after supporting and after a failed form, tap
targets on a phone, registering from a page and coming back to it, replies that name who they answer."""

import re
import uuid

import pytest

from review_app.accounts import services as accounts

from .conftest import emailed_link, sign_in

pytestmark = pytest.mark.browser
UOF = "/rounds/use-of-force-2026"
PASSWORD = "plum kettle harbour seven"


def resident(live_app, page) -> str:
    """A new verified resident, signed in on this page; returns their display name."""
    name = f"Resident {uuid.uuid4().hex[:6]}"
    email = f"{name.split()[1]}@example.org"
    with live_app.app_context():
        accounts.create_account(email, name, PASSWORD)
    sign_in(page, email, PASSWORD)
    return name


def focused(page) -> dict:
    return page.evaluate("""() => {
        const e = document.activeElement, r = e.getBoundingClientRect();
        return {id: e.id, comment: e.closest('article.comment')?.id, top: r.top, height: innerHeight, scrolled: scrollY};
    }""")


def test_supporting_a_comment_returns_to_it_with_the_focus_on_it(phone, live_app):
    resident(live_app, phone)
    phone.goto(f"{UOF}?sort=newest")
    button = phone.get_by_role("button", name="This matters to me too").last
    comment_id = button.evaluate("b => b.closest('article.comment').id")
    button.click()
    phone.wait_for_url(re.compile(rf"#{comment_id}$"))
    assert phone.get_by_text("your support is counted").is_visible()
    now = focused(phone)
    assert now["comment"] == comment_id and now["id"] == comment_id
    assert now["scrolled"] > 0 and 0 <= now["top"] < now["height"]  # in view, not at the top of the page
    assert phone.locator(f"#{comment_id}").get_by_role("button", name="Withdraw my support").first.is_visible()


@pytest.mark.parametrize("path, button", [(UOF, "Send comment"), ("/account/login", "Sign in"),
                                          ("/account/register", "Create account")])
def test_after_a_failed_form_the_focus_is_on_the_error_summary(page, path, button):
    page.goto(path)
    page.locator("main").get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert focused(page)["id"] == "error-summary"


def _too_small(page, locator, width, height) -> list[str]:
    small = []
    for i in range(locator.count()):
        element = locator.nth(i)
        if not element.is_visible():
            continue
        box = element.bounding_box()
        if box["width"] < width or box["height"] < height:
            small.append(f"{element.inner_text()!r}: {box['width']:.0f}x{box['height']:.0f}")
    return small


def test_tap_targets_on_a_phone(phone, live_app):
    resident(live_app, phone)
    for path in (UOF, None):
        if path is None:  # then a thread, reached by its Reply link
            phone.get_by_role("link", name=re.compile("^Reply")).first.click()
            phone.wait_for_url(re.compile(r"/comments/\d+"))
        else:
            phone.goto(path)
        flags = phone.get_by_role("link", name=re.compile("^Flag"))
        replies = phone.get_by_role("link", name=re.compile("^Reply"))
        supports = phone.get_by_role("button", name="This matters to me too")
        assert flags.count() and replies.count() and supports.count()
        assert _too_small(phone, flags, 24, 24) == [] and _too_small(phone, replies, 24, 24) == []
        assert _too_small(phone, supports, 1, 44) == []
        assert _too_small(phone, phone.get_by_role("button", name="Send comment"), 1, 44) == []
    phone.goto(UOF)
    assert _too_small(phone, phone.get_by_role("link", name="Comment on this policy"), 1, 44) == []


def test_creating_an_account_returns_to_the_page_the_resident_was_on(page, live_app):
    email = f"back.{uuid.uuid4().hex[:6]}@example.org"
    page.goto(f"{UOF}/sections/3")
    page.get_by_role("link", name="Create account").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Display name").fill("Ines")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(rf"{UOF}/sections/3$"))
    assert page.get_by_text("Check your email to finish creating your account").is_visible()
    page.goto(emailed_link(live_app, email))
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm my email address").click()
    page.wait_for_url(re.compile(rf"{UOF}/sections/3$"))
    assert page.get_by_text("Your email address is confirmed").is_visible()
    assert page.get_by_role("link", name="Ines", exact=True).is_visible()  # signed in: the account link in the header


def test_a_reply_names_who_it_answers(page, live_app):
    resident(live_app, page)
    page.goto(f"{UOF}?sort=supported")
    first = page.locator("#comments-heading ~ article.comment").first
    name = first.locator(".comment-by").first.inner_text().removesuffix(" STAFF").strip()
    first.get_by_role("link", name=re.compile("^Reply")).first.click()
    assert page.get_by_role("heading", name=f"Reply to {name}").is_visible()
    page.get_by_label("Your comment").fill("Answering you by name, as the page says.")
    page.get_by_role("button", name="Send comment").click()
    page.wait_for_url(re.compile(r"/comments/receipt/"))
    page.get_by_role("link", name="See it on the page").click()
    mine = page.locator("article.comment", has_text="Answering you by name").last
    assert f"In reply to {name}" in mine.locator(".site-meta").first.inner_text()
    # Every reply on the page names the comment it sits under.
    wrong = page.evaluate("""() => [...document.querySelectorAll('.replies > article.comment')].filter(reply => {
        const parent = reply.parentElement.closest('article.comment').querySelector('.comment-by');
        const meta = reply.querySelector('.site-meta');
        return parent && meta && !meta.textContent.includes('In reply to ' + parent.firstChild.textContent.trim());
    }).map(reply => reply.id)""")
    assert wrong == []
