"""The pages a resident sees, photographed at 1280 and 360 px into artifacts/screenshots/ (to look
at before a release), and the round page's first screen on a phone measured."""

import re
import uuid

import pytest

from review_app.accounts import services as accounts

from .conftest import SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser
UOF = "/rounds/use-of-force-2026"
PASSWORD = "plum kettle harbour seven"
WIDTHS = (1280, 360)
PUBLIC_PAGES = {
    "home": "/", "round": UOF, "section": f"{UOF}/sections/5", "report": "/rounds/crisis-response-budget-2026/report",
    "guidelines": "/guidelines", "privacy": "/privacy", "accessibility": "/accessibility", "contact": "/contact",
}
FIRST_SCREEN = 740  # px: a phone's first screen


def shoot(page, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def screen(request, browser, live_server):
    width = request.param
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": FIRST_SCREEN if width == 360 else 900},
                                  is_mobile=width == 360)
    yield context.new_page(), width
    context.close()


def test_screenshots_of_a_residents_pages(screen, live_app):
    page, width = screen
    for name, path in PUBLIC_PAGES.items():
        response = page.goto(path)
        assert response.status == 200, path
        shoot(page, name, width)
    page.goto(f"{UOF}?sort=supported")  # a conversation with replies
    page.get_by_role("link", name=re.compile("^Reply")).first.click()
    page.wait_for_url(re.compile(r"/comments/\d+"))
    shoot(page, "thread", width)

    email = f"shots.{uuid.uuid4().hex[:6]}@example.org"
    with live_app.app_context():
        accounts.create_account(email, "Lena", PASSWORD)
    sign_in(page, email, PASSWORD)
    page.goto(f"{UOF}/sections/5")
    page.get_by_label("Your comment", exact=True).fill("Publish the yearly figures on force by district, please.")
    page.get_by_role("button", name="Send comment").click()
    page.wait_for_url(re.compile(r"/comments/receipt/CR-"))
    shoot(page, "receipt", width)
    for name, path in {"my-comments": "/my/comments", "account": "/account/"}.items():
        page.goto(path)
        shoot(page, name, width)


@pytest.mark.parametrize("language", ["English", "Español"])
def test_the_round_page_first_screen_on_a_phone_invites_taking_part(browser, live_server, language):
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": FIRST_SCREEN}, is_mobile=True)
    page = context.new_page()
    page.goto(UOF)
    if language == "Español":
        page.get_by_role("link", name="Español").click()
        page.wait_for_url(re.compile(UOF))
    call = "Comment on this policy" if language == "English" else "Comente sobre esta política"
    status = page.locator("#round-status")
    wanted = {"title": page.get_by_role("heading", level=1), "phase": status.locator(".usa-tag"),
              "closing": status.get_by_text(re.compile(r"\d{4}")), "call": page.get_by_role("link", name=call).first}
    for what, locator in wanted.items():
        box = locator.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= FIRST_SCREEN, (what, box)
    assert page.evaluate("scrollY") == 0
    shoot(page, "round-es" if language == "Español" else "round-first-screen", 360)
    if language == "Español":
        page.set_viewport_size({"width": 1280, "height": 900})
        shoot(page, "round-es", 1280)
    context.close()
