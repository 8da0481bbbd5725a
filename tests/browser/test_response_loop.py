"""The whole loop in Chromium: an official opens the response review, residents comment on a draft
action in English and Spanish, the personal-data hold keeps one comment back for moderators, the
official finalises with a change and its reason, a visitor reads the diff and the tracker, and a
follower's notice of a progress update is queued once."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from review_app.analysis.models import CommentAnalysis
from review_app.comments.models import Comment
from review_app.extensions import db
from review_app.reports.models import OutboxMessage, ThemeResponse
from review_app.rounds.models import Round, Section
from review_app.timeutil import utcnow

from .conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser
SLUG = "body-cameras-2026"
FOLLOWER = "follower@example.org"


def _closed_round_with_a_draft_plan(app) -> None:
    """A closed review with comments on two themes, and the official's draft answer to each."""
    with app.app_context():
        if db.session.scalar(select(Round.id).where(Round.slug == SLUG)):
            return
        round_ = Round(slug=SLUG, title="Body-worn camera policy", summary="When officers record, and who sees the footage.",
                       department="Police Department", status="closed", moderation_mode="post", allow_anonymous=True,
                       opens_at=utcnow() - timedelta(days=40), closes_at=utcnow() - timedelta(days=2), districts=[])
        round_.sections = [Section(position=1, number="1", heading="Recording", body="Officers record every stop.")]
        db.session.add(round_)
        db.session.flush()
        for i, theme in enumerate(["accountability_oversight", "data_transparency"] * 3):
            comment = Comment(round_id=round_.id, body=f"Release the footage within days ({i}).", status="published",
                              receipt=f"CR-LOOP{i:04d}", display_name="Resident", published_at=utcnow())
            db.session.add(comment)
            db.session.flush()
            db.session.add(CommentAnalysis(comment_id=comment.id, themes=[theme], theme_scores={theme: 0.9},
                                           stance="support", model_version="test"))
        db.session.add_all([
            ThemeResponse(round_id=round_.id, theme="accountability_oversight", what_we_heard="Residents want footage released.",
                          what_we_will_do="Footage of serious incidents is released within 45 days.", status="planned",
                          department="Police Department", indicator="Median days from incident to release", baseline="120",
                          target="45", milestones="2027-02-01 Release rule adopted"),
            ThemeResponse(round_id=round_.id, theme="data_transparency", what_we_heard="Residents want the numbers.",
                          what_we_will_do="A yearly report on camera use.", status="planned", department="Police Department"),
        ])
        db.session.commit()


def test_the_whole_loop_from_draft_review_to_a_followed_progress_update(browser, live_server, live_app):
    _closed_round_with_a_draft_plan(live_app)
    official = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()
    moderator = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}).new_page()
    resident = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740}, is_mobile=True, bypass_csp=True).new_page()
    visitor = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()
    visitor_phone = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740}, is_mobile=True, bypass_csp=True).new_page()

    # 1. The official opens the response review from the plan editor, with a deadline.
    sign_in(official, "official@demo.civic-review.invalid")
    official.goto(f"/reports/{SLUG}/plan")
    official.get_by_role("link", name="Put the draft to residents for comment").click()
    assert official.get_by_text("2 proposed actions").is_visible()
    screenshot(official, "loop-open-review-1280")
    official.get_by_label(re.compile("Residents can comment until")).fill((utcnow().date() + timedelta(days=14)).isoformat())
    official.get_by_role("button", name="Open the draft for residents' comments").click()
    assert official.get_by_role("heading", name=re.compile("Draft response plan — comment until")).is_visible()
    screenshot(official, "loop-draft-report-1280")

    # 2. Residents comment on an action, in English and in Spanish, from the draft report.
    resident.goto(f"/rounds/{SLUG}/report")
    screenshot(resident, "loop-draft-report-360")
    assert axe_violations(resident) == []
    resident.get_by_role("link", name=re.compile("^Comment on this proposed action")).first.click()
    assert resident.get_by_role("heading", name=re.compile("Accountability and oversight")).first.is_visible()
    resident.get_by_label("Your comment", exact=True).fill("Forty-five days is too long: release serious footage within 10 days.")
    resident.get_by_role("button", name="Send comment").click()
    resident.wait_for_url(re.compile(r"/comments/receipt/CR-"))
    resident.goto(f"/language/es?next=/rounds/{SLUG}-draft-response/sections/1")
    resident.get_by_label("Su comentario", exact=True).fill("Que los videos se publiquen también con subtítulos en español.")
    resident.get_by_role("button", name="Enviar comentario").click()
    resident.wait_for_url(re.compile(r"/comments/receipt/CR-"))
    resident.goto("/language/en?next=/")
    resident.goto(f"/rounds/{SLUG}-draft-response/sections/1")
    screenshot(resident, "loop-review-section-360")
    assert axe_violations(resident) == []
    assert "subtítulos en español" in resident.content()

    # 3. A comment with personal data is held: the moderator finds it in the held queue, never public.
    resident.get_by_label("Your comment", exact=True).fill("My neighbour at 555-303-1122 was filmed at home; release nothing of homes.")
    resident.get_by_role("button", name="Send comment").click()
    resident.wait_for_url(re.compile(r"/comments/receipt/CR-"))
    assert resident.get_by_text("Your comment is held, not published yet.").is_visible()
    sign_in(moderator, "moderator@demo.civic-review.invalid")
    moderator.goto("/moderation/?reason=held")
    held = moderator.locator(".queue-item", has_text="was filmed at home")
    assert held.locator("mark.pii").first.inner_text().startswith("555-303-1122")
    resident.goto(f"/rounds/{SLUG}-draft-response/sections/1")
    assert "555-303-1122" not in resident.content()

    # 4. The official finalises: a changed action with its reason, in the same plan editor.
    official.goto(f"/reports/{SLUG}/plan")
    theme = official.locator("#theme-accountability_oversight")
    theme.get_by_label("What we will do").fill("Footage of serious incidents is released within 10 days, with Spanish subtitles.")
    theme.get_by_label("What changed since the draft, and why").fill("Residents said 45 days was too long and asked for Spanish subtitles.")
    official.get_by_role("button", name="Save all themes").click()
    official.get_by_role("link", name="Preview and publish").click()
    official.get_by_label(re.compile("What changed since the last version")).fill("The final plan after residents' review.")
    official.get_by_role("button", name="Publish version 2").click()
    official.get_by_text("Version 2 of the report is public.").wait_for()

    # 5. A visitor reads the diff with its reason, residents' feedback, and the tracker.
    for page, width in ((visitor, 1280), (visitor_phone, 360)):
        page.goto(f"/rounds/{SLUG}/report")
        page.get_by_text("What changed in the city's answers since version 1").click()
        assert page.get_by_text("Residents said 45 days was too long and asked for Spanish subtitles.").is_visible()
        assert page.get_by_text(re.compile("2 comments on the draft action")).first.is_visible()  # the held one is not counted
        assert "555-303-1122" not in page.content()
        screenshot(page, f"loop-final-report-{width}")
        assert axe_violations(page) == []
        page.goto(f"/rounds/{SLUG}/actions")
        screenshot(page, f"loop-tracker-{width}")
        assert axe_violations(page) == []
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")

    # 6. A visitor follows an action by email and confirms; the official posts an update (sent twice);
    #    the outbox holds one notice for the follower.
    visitor.get_by_role("link", name="Accountability and oversight").click()
    visitor.get_by_label("Your email").fill(FOLLOWER)
    visitor.get_by_role("button", name="Follow this action").click()
    assert visitor.get_by_text("Check your email").is_visible()
    with live_app.app_context():
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.to_address == FOLLOWER))
    visitor.goto(re.search(r"https?://\S+/follows/confirm\?token=\S+", body).group(0))
    visitor.get_by_role("button", name="Follow this action").click()
    assert visitor.get_by_text("You follow this action").is_visible()
    action_url = visitor.url

    official.goto(action_url)
    official.get_by_role("link", name="Post a progress update").click()
    official.get_by_label("Status now").select_option("in progress")
    official.get_by_label("What happened").fill("The release rule is adopted; the first footage was released in 8 days.")
    official.get_by_label("The indicator's value now").fill("8")
    official.get_by_label("Measured on").fill(utcnow().date().isoformat())
    official.get_by_label("Milestone reached").select_option(label="2027-02-01: Release rule adopted")
    screenshot(official, "loop-post-update-1280")
    fields = official.evaluate("() => [...new FormData(document.querySelector('form.usa-form')).entries()]")
    update_path = official.evaluate("() => location.pathname")
    official.get_by_role("button", name="Post the update").click()
    official.get_by_text("The update is public").wait_for()
    # The same form sent again (a double click, a resent request): nothing new is stored or queued.
    resent = official.evaluate("""async ([path, fields]) => (await fetch(path, {method: 'POST', body: new URLSearchParams(fields),
                                  redirect: 'manual'})).status""", [update_path, fields])
    assert resent in (0, 302)  # an opaque redirect to the action's page, as the first time
    visitor.goto(action_url)
    assert visitor.get_by_text("The release rule is adopted").is_visible() and visitor.get_by_text(re.compile("Reached on")).is_visible()
    screenshot(visitor, "loop-action-1280")
    assert axe_violations(visitor) == []
    visitor_phone.goto(action_url)
    screenshot(visitor_phone, "loop-action-360")
    assert axe_violations(visitor_phone) == []
    with live_app.app_context():
        notices = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == FOLLOWER,
                                                                 OutboxMessage.key.like("action:%"))).all()
    assert len(notices) == 1 and "released in 8 days" in notices[0].body and "/follows/unfollow?token=" in notices[0].body
