"""The moderation desk: one-click removal of a highlighted span, decisions on a selection, and
campaign copies side by side."""

import re

import pytest
from sqlalchemy import select

from review_app.analysis.models import Campaign, CommentAnalysis
from review_app.comments.models import Comment
from review_app.extensions import db
from review_app.moderation.models import ModerationLogEntry
from review_app.moderation import services

BODY = "Officer Daniel Price stopped my son. Call me at 555-201-3344 about it, it was unfair."


@pytest.fixture
def moderator(make_user, auth):
    user = make_user(roles=["moderator"], display_name="Quentin Moderata")
    auth.login(user)
    return user


def log_entries():
    return db.session.scalars(select(ModerationLogEntry).order_by(ModerationLogEntry.id)).all()


def held_comment(app, round_):
    """A resident's comment read by the pipeline: held for a name and a phone number."""
    app.test_client().post(f"/rounds/{round_.slug}/comments", data={"body": BODY, "idempotency_key": "k"})
    comment = db.session.scalar(select(Comment))
    assert comment.status == "held"
    return comment


def span_of(comment, kind):
    return next(s for s in comment.analysis.pii if s["kind"] == kind)


def remove(client, comment, span, text=None, next_url=None):
    data = {"start": span["start"], "end": span["end"], "text": comment.body[span["start"]:span["end"]] if text is None else text}
    if next_url:
        data["next"] = next_url
    response = client.post(f"/moderation/comments/{comment.id}/redact-span", data=data)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_one_click_removes_a_highlight_from_the_public_text_and_logs_it(app, client, moderator, make_round):
    round_ = make_round(moderation_mode="post")
    comment = held_comment(app, round_)
    queue = client.get("/moderation/?reason=held").get_data(as_text=True)
    assert "Remove this phone number" in queue and "Remove this name" in queue

    page = remove(client, comment, span_of(comment, "phone"), next_url="/moderation/?reason=held")
    db.session.refresh(comment)
    assert comment.redacted_body == "Officer Daniel Price stopped my son. Call me at [phone number removed] about it, it was unfair."
    assert comment.body == BODY  # the original is kept for moderators
    assert comment.status == "held"  # the name is still there
    assert "stays held" in page and "Remove this phone number" not in page
    assert "Remove this name and publish the comment" in page  # the last one left says what it does
    assert [(e.action, e.reason, e.moderator_id, e.note) for e in log_entries()][1:] == [
        ("redact", "personal_data", moderator.id, "removed one phone")]

    remove(client, comment, span_of(comment, "person_name"))  # found again in the redacted text
    db.session.refresh(comment)
    assert comment.redacted_body == "Officer [name removed] stopped my son. Call me at [phone number removed] about it, it was unfair."
    assert comment.status == "published"
    assert [e.action for e in log_entries()] == ["hold", "redact", "redact", "approve"]
    public = app.test_client().get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "[phone number removed]" in public and "555-201-3344" not in public and "Daniel Price" not in public


def test_a_highlight_the_page_shows_but_the_comment_no_longer_has_is_refused(app, client, moderator, make_round):
    comment = held_comment(app, make_round())
    phone = span_of(comment, "phone")
    remove(client, comment, phone)
    db.session.refresh(comment)
    redacted, entries = comment.redacted_body, len(log_entries())
    for text in (None, "555-999-0000"):  # removed already (a second tab, another moderator), or not this text
        assert "the page was out of date" in remove(client, comment, phone, text=text)
    assert "the page was out of date" in remove(client, comment, {"start": 0, "end": 7}, text="Officer")  # not a highlight
    db.session.refresh(comment)
    assert comment.redacted_body == redacted and len(log_entries()) == entries


def test_a_published_comment_loses_its_one_highlight_and_stays_public(app, client, moderator, make_round, make_comment):
    round_ = make_round()
    comment = make_comment(round_, body="Ring 555-201-3344 any time.")
    db.session.add(CommentAnalysis(comment_id=comment.id, pii=[{"kind": "phone", "start": 5, "end": 17}], has_pii=True,
                                   model_version="test"))
    db.session.commit()
    assert "Remove this phone number" in client.get(f"/moderation/comments/{comment.id}").get_data(as_text=True)
    remove(client, comment, {"start": 5, "end": 17})
    db.session.refresh(comment)
    assert (comment.status, comment.redacted_body) == ("published", "Ring [phone number removed] any time.")
    assert "555-201-3344" not in app.test_client().get(f"/rounds/{round_.slug}").get_data(as_text=True)


def test_a_comment_that_is_not_held_loses_all_its_personal_data_at_once(client, moderator, make_round, make_comment):
    comment = make_comment(make_round(), body="Daniel Price: 555-201-3344.")
    db.session.add(CommentAnalysis(comment_id=comment.id, has_pii=True, model_version="test",
                                   pii=[{"kind": "person_name", "start": 0, "end": 12}, {"kind": "phone", "start": 14, "end": 26}]))
    db.session.commit()
    page = remove(client, comment, {"start": 14, "end": 26})
    assert "remove all of it at once" in page
    db.session.refresh(comment)
    assert comment.redacted_body is None and log_entries() == []


def bulk(client, comments, action, reason, note=""):
    response = client.post("/moderation/bulk", data={"ids": [c.id for c in comments], "action": action, "reason": reason,
                                                     "note": note, "next": "/moderation/"})
    assert response.headers["Location"] == "/moderation/"
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_selection_is_hidden_with_one_reason_and_one_log_entry_each(client, moderator, make_round, make_comment):
    round_ = make_round()
    first, second, untouched = (make_comment(round_, body=f"Comment number {i}") for i in range(3))
    page = bulk(client, [first, second], "hide", "threats_harassment", "a pile-on")
    assert f"2 comments decided: {first.id}, {second.id}." in page
    for comment in (first, second, untouched):
        db.session.refresh(comment)
    assert (first.status, second.status, untouched.status) == ("hidden", "hidden", "published")
    assert first.moderation_reason == "threats_harassment"
    assert [(e.action, e.comment_id, e.reason, e.note, e.moderator_id) for e in log_entries()] == [
        ("hide", first.id, "threats_harassment", "a pile-on", moderator.id),
        ("hide", second.id, "threats_harassment", "a pile-on", moderator.id)]


def test_a_selection_skips_what_its_decision_does_not_apply_to_and_says_why(app, client, moderator, make_round, make_comment):
    round_ = make_round(moderation_mode="pre")
    held = held_comment(app, round_)
    pending = make_comment(round_, body="Plain words", status="pending")
    own = make_comment(round_, body="My own words", status="pending", author_id=moderator.id)
    page = bulk(client, [held, pending, own], "approve", "within_guidelines")
    assert f"1 comment decided: {pending.id}." in page
    assert f"Comment {held.id} was skipped: This comment may hold personal data" in page
    assert f"Comment {own.id} was skipped: You cannot moderate your own comment" in page
    for comment in (held, pending, own):
        db.session.refresh(comment)
    assert (held.status, pending.status, own.status) == ("held", "published", "pending")
    assert [(e.action, e.comment_id) for e in log_entries()] == [("hold", held.id), ("approve", pending.id)]


@pytest.mark.parametrize("data, message", [
    ({"action": "hide", "reason": "within_guidelines"}, "Choose a reason from the list"),  # a reason to publish
    ({"action": "hide", "reason": "other"}, "Add a note"),
    ({"action": "delete", "reason": "spam"}, "Unknown decision"),
    ({"action": "hide", "reason": ""}, "Choose a reason"),
])
def test_a_decision_that_fits_none_of_the_selection_changes_nothing(client, moderator, make_round, make_comment, data, message):
    comment = make_comment(make_round())
    response = client.post("/moderation/bulk", data={"ids": [comment.id], **data})
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.status == "published" and log_entries() == []


def test_nothing_ticked_is_refused(client, moderator):
    response = client.post("/moderation/bulk", data={"action": "hide", "reason": "spam"})
    assert "Tick the comments" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_queue_has_a_checkbox_per_comment_in_one_form(client, moderator, make_round, make_comment):
    comment = make_comment(make_round(moderation_mode="pre"), status="pending")
    own = make_comment(comment.round, status="pending", author_id=moderator.id)
    page = client.get("/moderation/").get_data(as_text=True)
    assert f'id="select-{comment.id}" name="ids" value="{comment.id}" form="bulk"' in page
    assert f'id="select-{own.id}"' not in page  # another moderator decides on it
    assert re.search(r'<form method="post" action="/moderation/bulk" id="bulk"', page)


def campaign_of(round_, make_comment, bodies):
    """A campaign of comments with these bodies, the first one first."""
    copies = [make_comment(round_, body=body) for body in bodies]
    campaign = Campaign(round_id=round_.id, first_comment_id=copies[0].id)
    db.session.add(campaign)
    db.session.flush()
    for copy in copies:
        copy.campaign_id = campaign.id
    db.session.commit()
    return campaign, copies


LETTER = "I urge the Council to adopt the draft policy without weakening it. The ban on chokeholds is the minimum."


def test_campaign_copies_side_by_side_with_their_differences_marked_and_escaped(client, moderator, make_round, make_comment):
    bodies = [LETTER, "Dear Council, " + LETTER, LETTER, "<b>Hello</b> " + LETTER.replace("minimum", "least")]
    campaign, copies = campaign_of(make_round(), make_comment, bodies)
    ids = [c.id for c in copies]
    queue = client.get("/moderation/").get_data(as_text=True)
    assert f'href="/moderation/campaigns/{campaign.id}"' in queue

    page = client.get(f"/moderation/campaigns/{campaign.id}").get_data(as_text=True)
    assert "1 copy has the same words as the first" in page and f"/moderation/comments/{ids[2]}" in page
    assert '<ins><span class="usa-sr-only">Only in this copy: </span>Dear Council, </ins>' in page
    assert '<del><span class="usa-sr-only">Only in the first copy: </span>minimum.</del>' in page
    assert '<ins><span class="usa-sr-only">Only in this copy: </span>least.</ins>' in page
    assert "&lt;b&gt;Hello&lt;/b&gt;" in page and "<b>Hello</b>" not in page
    assert f'action="/moderation/campaigns/{campaign.id}/confirm"' in page and f'action="/moderation/campaigns/{campaign.id}/split"' in page

    client.post(f"/moderation/campaigns/{campaign.id}/confirm")
    page = client.get(f"/moderation/campaigns/{campaign.id}").get_data(as_text=True)
    assert "confirmed: counted as one voice" in page and "/confirm" not in page


def test_a_big_campaign_comes_a_page_of_wordings_at_a_time(client, moderator, make_round, make_comment, monkeypatch):
    monkeypatch.setattr(services, "CAMPAIGN_WORDINGS_PER_PAGE", 2)
    monkeypatch.setattr(services, "CAMPAIGN_SAME_LISTED", 1)
    bodies = [LETTER, LETTER, LETTER] + [f"{LETTER} Signed, neighbour number {n}." for n in range(5)]
    campaign, _copies = campaign_of(make_round(), make_comment, bodies)

    def shown(page):
        html = client.get(f"/moderation/campaigns/{campaign.id}?page={page}").get_data(as_text=True)
        return html, re.findall(r"neighbour number (\d)", html)

    first, numbers = shown(1)
    assert "5 other wordings, a page at a time" in first and "Page 1 of 3" in first and numbers == ["0", "1"]
    assert "2 copies have the same words as the first" in first and "and 1 more." in first
    assert f'href="/moderation/campaigns/{campaign.id}?page=2"' in first
    assert shown(3)[1] == ["4"] and "Page 3 of 3" in shown(99)[0]  # a page past the end shows the last


def test_the_campaign_page_is_for_moderators(client, make_user, auth, make_round):
    auth.login(make_user(roles=["official"]))
    assert client.get("/moderation/campaigns/1").status_code == 403
