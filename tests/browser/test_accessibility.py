"""axe-core on each main page, at desktop and phone width, with screenshots for reviewers."""

import pytest

from .conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {
    "home": "/",
    "round": "/rounds/use-of-force-2026",
    "section": "/rounds/use-of-force-2026/sections/3",
    "thread": "/rounds/crisis-response-budget-2026/comments/1",  # the demo loads this round first
    "changes": "/rounds/use-of-force-2026/changes",
    "moderation-summary": "/rounds/use-of-force-2026/moderation",
    "report": "/rounds/crisis-response-budget-2026/report",
    "draft-report": "/rounds/crisis-response-budget-2026/report/v1",
    "review-round": "/rounds/crisis-response-budget-2026-draft-response",
    "review-section": "/rounds/crisis-response-budget-2026-draft-response/sections/1",
    "actions": "/rounds/crisis-response-budget-2026/actions",
    "action": "/rounds/crisis-response-budget-2026/actions/1",  # the demo's first answer: alternative response
    "login": "/account/login",
    "register": "/account/register",
    "forgot-password": "/account/forgot",
    "api-docs": "/api/v1/docs",
    "guidelines": "/guidelines",
    "privacy": "/privacy",
    "accessibility": "/accessibility",
    "contact": "/contact",
    "round-es": "/language/es?next=/rounds/use-of-force-2026",
}
STAFF_PAGES = {
    "moderator@demo.civic-review.invalid": {"staff-home": "/staff/", "queue": "/moderation/",
                                            "moderation-comment": "/moderation/comments/1", "log": "/moderation/log",
                                            "queue-held": "/moderation/?reason=held", "campaign": "/moderation/campaigns/1",
                                            "my-comments": "/my/comments", "account": "/account/"},
    "official@demo.civic-review.invalid": {"summary": "/reports/use-of-force-2026/summary",
                                           "summary-filtered": "/reports/use-of-force-2026/summary?stance=oppose&section=5",
                                           "theme-comments": "/reports/use-of-force-2026/themes/use_of_force?section=5",
                                           "plan": "/reports/crisis-response-budget-2026/plan",
                                           "publish-preview": "/reports/crisis-response-budget-2026/publish",
                                           "open-review": "/reports/crisis-response-budget-2026/review",
                                           "post-update": "/reports/crisis-response-budget-2026/actions/1/update",
                                           "published-text": "/reports/crisis-response-budget-2026/published-text"},
    "admin@demo.civic-review.invalid": {"admin-rounds": "/admin/rounds/", "admin-round": "/admin/rounds/use-of-force-2026",
                                        "users": "/admin/users/", "tokens": "/admin/api-tokens/",
                                        "admin-edit": "/admin/rounds/use-of-force-2026/edit", "admin-new": "/admin/rounds/new",
                                        "admin-import": "/admin/rounds/use-of-force-2026/import",
                                        "admin-section": "/admin/rounds/crisis-response-budget-2026/sections/1"},  # the demo loads this round first
}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_have_no_violations_at_either_width(page, phone, name):
    for view, width in ((page, "desktop"), (phone, "phone")):
        assert view.goto(PUBLIC_PAGES[name]).status == 200, name  # check the page itself, not an error page
        assert axe_violations(view) == [], f"{name} at {width}"
        screenshot(view, f"{name}-{width}")
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow, f"{name} scrolls sideways at 360 px"


@pytest.mark.parametrize("account", STAFF_PAGES)
def test_staff_pages_have_no_violations_at_either_width(page, phone, account):
    for view, width in ((page, "desktop"), (phone, "phone")):
        sign_in(view, account)
        for name, url in STAFF_PAGES[account].items():
            assert view.goto(url).status == 200, name
            assert axe_violations(view) == [], f"{name} at {width}"
            screenshot(view, f"{name}-{width}")
