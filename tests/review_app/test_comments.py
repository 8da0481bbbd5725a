"""Residents comment on a round or a section, reply, and are told what happens next."""

import pytest
from sqlalchemy import func, select

from review_app.comments.models import Comment, CommentContact
from review_app.extensions import db


def submit(client, round_, **fields):
    data = {"body": "We need more crisis workers.", "idempotency_key": fields.pop("key", "key-1")}
    data.update(fields)
    return client.post(f"/rounds/{round_.slug}/comments", data=data)


def stored():
    return db.session.scalars(select(Comment).order_by(Comment.id)).all()


def test_anonymous_comment_on_a_post_moderated_round_is_published_with_a_receipt(client, make_round):
    round_ = make_round(moderation_mode="post")
    response = submit(client, round_, display_name="Rosa", stance="oppose")
    assert response.status_code == 302
    [comment] = stored()
    assert response.headers["Location"] == f"/comments/receipt/{comment.receipt}"
    assert comment.status == "published" and comment.published_at is not None
    assert (comment.display_name, comment.stance, comment.thread_id, comment.depth) == ("Rosa", "oppose", comment.id, 0)
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert comment.receipt in receipt and "published now" in receipt
    assert "Rosa" in client.get(f"/rounds/{round_.slug}").get_data(as_text=True)


def test_pre_moderated_comment_waits_and_is_seen_only_by_its_author(client, make_round, make_user, auth, app):
    round_ = make_round(moderation_mode="pre")
    author = make_user(display_name="Author")
    auth.login(author)
    response = submit(client, round_, body="Pending words")
    assert b"A moderator will read your comment" in client.get(response.headers["Location"]).data
    assert stored()[0].status == "pending"
    assert b"Pending words" in client.get(f"/rounds/{round_.slug}").data
    assert b"awaiting moderation" in client.get(f"/rounds/{round_.slug}").data
    stranger = app.test_client()
    assert b"Pending words" not in stranger.get(f"/rounds/{round_.slug}").data
    assert stranger.get(response.headers["Location"]).status_code == 404  # a receipt is its author's only


def test_comment_on_a_section_shows_on_the_section_page_with_a_count(client, make_round):
    round_ = make_round(sections=2)
    section = round_.sections[1]
    submit(client, round_, section_id=str(section.id), body="About section two")
    assert stored()[0].section_id == section.id
    page = client.get(f"/rounds/{round_.slug}/sections/{section.number}").get_data(as_text=True)
    assert "About section two" in page
    assert "1 comment on section 2" in client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    other = client.get(f"/rounds/{round_.slug}/sections/1").get_data(as_text=True)
    assert "About section two" not in other


def test_a_section_of_another_round_is_refused(client, make_round):
    round_, other = make_round(), make_round()
    response = submit(client, round_, section_id=str(other.sections[0].id))
    assert response.status_code == 422 and b"Choose a section of this policy" in response.data
    assert stored() == []


def test_replies_form_threads_two_levels_deep(client, make_round, make_comment):
    round_ = make_round()
    top = make_comment(round_, body="Top")
    top.thread_id = top.id
    db.session.commit()
    submit(client, round_, parent_id=str(top.id), body="First reply", key="k1")
    reply = stored()[-1]
    submit(client, round_, parent_id=str(reply.id), body="Reply to reply", key="k2")
    deeper = stored()[-1]
    submit(client, round_, parent_id=str(deeper.id), body="Third level", key="k3")
    third = stored()[-1]
    assert (reply.depth, reply.parent_id, reply.thread_id) == (1, top.id, top.id)
    assert (deeper.depth, deeper.parent_id) == (2, reply.id)
    assert (third.depth, third.parent_id) == (2, reply.id)  # capped: joins the conversation above
    page = client.get(f"/rounds/{round_.slug}/comments/{top.id}").get_data(as_text=True)
    assert page.index("Top") < page.index("First reply") < page.index("Reply to reply")
    assert "Reply to reply" in client.get(f"/rounds/{round_.slug}").get_data(as_text=True)


def test_replies_to_other_rounds_or_unpublished_comments_are_refused(client, make_round, make_comment):
    round_, other = make_round(), make_round()
    foreign = make_comment(other)
    pending = make_comment(round_, status="pending")
    for parent in (foreign, pending):
        response = submit(client, round_, parent_id=str(parent.id), key=f"k{parent.id}")
        assert response.status_code == 422 and b"not available any more" in response.data
    assert len(stored()) == 2


@pytest.mark.parametrize("body, message", [("", b"Write your comment"), ("   \n ", b"Write your comment"), ("x" * 5001, b"the limit is 5,000")])
def test_empty_and_too_long_comments_are_refused_and_the_text_kept(client, make_round, body, message):
    round_ = make_round()
    response = submit(client, round_, body=body, display_name="Kept name")
    assert response.status_code == 422
    assert message in response.data
    assert b'value="Kept name"' in response.data
    if body.strip():
        assert body.encode() in response.data
    assert stored() == []


def test_a_comment_of_exactly_the_limit_is_taken(client, make_round):
    submit(client, make_round(), body="y" * 5000)
    assert len(stored()[0].body) == 5000


def test_text_is_stored_as_typed_and_escaped_on_output(client, make_round):
    round_ = make_round()
    body = '<5 officers & a<b <script>alert(1)</script> <svg onload=alert(2)> javascript:alert(3) https://city.gov/p?a=1&b=2'
    submit(client, round_, body=body, display_name='<img src=x onerror=alert(4)>')
    comment = stored()[0]
    assert comment.body == body
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "&lt;5 officers &amp; a&lt;b &lt;script&gt;" in page
    assert "<script>alert(1)" not in page and "<svg onload" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert 'href="https://city.gov/p?a=1&amp;b=2" rel="nofollow ugc noopener"' in page


def test_a_double_submit_stores_one_comment_and_returns_the_same_receipt(client, make_round):
    round_ = make_round()
    first = submit(client, round_, key="same")
    second = submit(client, round_, key="same", body="A changed second click")
    assert first.headers["Location"] == second.headers["Location"]
    assert len(stored()) == 1 and stored()[0].body == "We need more crisis workers."


def test_forged_fields_change_nothing(client, make_round, make_user):
    round_ = make_round(moderation_mode="pre")
    other = make_user()
    submit(client, round_, status="published", author_id=str(other.id), support_count="99", receipt="CR-CHOSEN", thread_id="1")
    comment = stored()[0]
    assert (comment.status, comment.author_id, comment.support_count) == ("pending", None, 0)
    assert comment.receipt != "CR-CHOSEN"


def test_the_honeypot_stores_nothing_and_answers_neutrally(client, make_round):
    response = submit(client, make_round(), website="http://spam.example")
    assert response.status_code == 302
    assert stored() == []


@pytest.mark.parametrize("status", ["closed", "reported"])
def test_closed_rounds_are_readable_and_refuse_comments(client, make_round, status):
    round_ = make_round(status=status)
    page = client.get(f"/rounds/{round_.slug}")
    assert page.status_code == 200 and b"takes no more comments" in page.data
    response = submit(client, round_, body="Too late but important")
    assert response.status_code == 422 and b"Too late but important" in response.data
    assert stored() == []


def test_a_round_past_its_closing_time_refuses_comments(client, make_round):
    from datetime import timedelta

    from review_app.timeutil import utcnow

    round_ = make_round(closes_at=utcnow() - timedelta(minutes=1))
    assert submit(client, round_).status_code == 422
    assert stored() == []


def test_drafts_take_no_comments(client, make_round):
    assert submit(client, make_round(status="draft")).status_code == 404
    assert stored() == []


def test_rounds_without_anonymous_comments_keep_the_text_through_sign_in(client, make_round, make_user, auth):
    round_ = make_round(allow_anonymous=False)
    response = submit(client, round_, body="Keep me while I sign in")
    assert "/account/login" in response.headers["Location"]
    assert stored() == []
    auth.login(make_user())
    assert b"Keep me while I sign in" in client.get(f"/rounds/{round_.slug}").data
    submit(client, round_, body="Keep me while I sign in")
    assert stored()[0].author_id is not None
    assert b"Keep me while I sign in</textarea>" not in client.get(f"/rounds/{round_.slug}").data


def test_blocked_residents_cannot_comment_or_support(client, make_round, make_comment, make_user, auth):
    from review_app.timeutil import utcnow

    user = make_user()
    round_ = make_round()
    other = make_comment(round_, body="Someone else's comment.")
    auth.login(user)
    user.blocked_at, user.blocked_reason = utcnow(), "spam"
    db.session.commit()
    submit(client, round_)
    assert [c.body for c in stored()] == ["Someone else's comment."]
    answer = client.post(f"/comments/{other.id}/support", data={}, follow_redirects=True)
    assert b"cannot support comments: spam" in answer.data
    db.session.refresh(other)
    assert other.support_count == 0


def test_the_email_is_kept_apart_and_never_shown(client, make_round):
    round_ = make_round()
    response = submit(client, round_, email="Rosa.M@Example.org")
    contact = db.session.scalar(select(CommentContact))
    assert contact.email == "rosa.m@example.org" and contact.comment_id == stored()[0].id
    for url in (f"/rounds/{round_.slug}", response.headers["Location"], f"/api/v1/rounds/{round_.slug}/comments"):
        assert b"rosa.m@example.org" not in client.get(url).data.lower()


def test_an_invalid_email_is_refused(client, make_round):
    response = submit(client, make_round(), email="not-an-email")
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_threads_sort_by_newest_and_by_support_and_paginate(client, app, make_round, make_comment):
    app.config["ROUND_PAGE_THREADS"] = 2
    round_ = make_round()
    quiet = make_comment(round_, body="Quiet but first", support_count=0)
    loud = make_comment(round_, body="Loud one", support_count=9)
    newest = make_comment(round_, body="Newest words", support_count=1)
    for c in (quiet, loud, newest):
        c.thread_id = c.id
    db.session.commit()
    by_support = client.get(f"/rounds/{round_.slug}?sort=supported").get_data(as_text=True)
    assert by_support.index("Loud one") < by_support.index("Newest words")
    assert "Quiet but first" not in by_support
    page_two = client.get(f"/rounds/{round_.slug}?sort=supported&page=2").get_data(as_text=True)
    assert "Quiet but first" in page_two
    newest_first = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "Newest words" in newest_first and "Quiet but first" not in newest_first
    injected = client.get(f"/rounds/{round_.slug}?sort=id;DROP TABLE comments&page=-3")
    assert injected.status_code == 200


def test_hidden_comments_show_a_placeholder_and_rejected_ones_nothing(client, make_round, make_comment):
    round_ = make_round()
    make_comment(round_, body="Hidden words", status="hidden")
    make_comment(round_, body="Rejected words", status="rejected")
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "hidden by moderators" in page
    assert "Hidden words" not in page and "Rejected words" not in page


def test_my_comments_lists_every_status(client, make_round, make_user, auth, make_comment):
    user = make_user()
    round_ = make_round()
    make_comment(round_, body="Mine pending", status="pending", author_id=user.id)
    make_comment(round_, body="Mine rejected", status="rejected", author_id=user.id)
    make_comment(round_, body="Someone else's")
    auth.login(user)
    page = client.get("/my/comments").get_data(as_text=True)
    assert "Mine pending" in page and "Awaiting moderation" in page
    assert "Mine rejected" in page and "Not published" in page
    assert "Someone else" not in page


def test_the_round_page_opens_with_the_phase_the_days_left_and_the_call_to_comment(client, make_round):
    from datetime import datetime, time, timedelta

    from review_app.timeutil import utcnow

    # Calendar days (UTC): noon twelve days from today, whatever the time of the run.
    open_round = make_round(closes_at=datetime.combine(utcnow().date() + timedelta(days=12), time(12)))
    page = client.get(f"/rounds/{open_round.slug}").get_data(as_text=True)
    head = page[page.index("<h1"):page.index('id="facts-heading"')]
    assert "Open for comments" in head and "Closes in 12 days" in head and 'href="#comment-form"' in head
    assert 'id="comment-form"' in page and "How to take part" in page
    closed = make_round(status="closed", closes_at=utcnow() - timedelta(days=2))
    page = client.get(f"/rounds/{closed.slug}").get_data(as_text=True)
    assert "Closed on " in page and "Closes in" not in page and 'href="#comment-form"' not in page


def test_a_reply_names_the_comment_it_answers_escaped(client, make_round, make_comment):
    round_ = make_round()
    root = make_comment(round_, display_name="<b>Bo</b>")
    root.thread_id = root.id
    db.session.commit()
    make_comment(round_, parent=root, display_name="Ana", body="Agreed.")
    page = client.get(f"/rounds/{round_.slug}/comments/{root.id}?reply_to={root.id}").get_data(as_text=True)
    assert "Reply to &lt;b&gt;Bo&lt;/b&gt;" in page and "In reply to &lt;b&gt;Bo&lt;/b&gt;" in page
    assert "<b>Bo</b>" not in page
    # A reply_to from another round or thread names nobody.
    assert "Write a reply" in client.get(f"/rounds/{round_.slug}/comments/{root.id}?reply_to=999999").get_data(as_text=True)


def test_a_comment_nobody_supported_yet_shows_no_count(client, make_round, make_comment):
    round_ = make_round()
    make_comment(round_, body="First comment.", support_count=0)
    make_comment(round_, body="Second comment.", support_count=3)
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "3 residents said this matters to them" in page and "0 residents said" not in page
