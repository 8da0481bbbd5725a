"""The personal-data hold, safe moderation decisions, residents' data rights, retention, caching
headers, and counts of answers about residents that cannot be worked back to a person."""

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.comments.models import Comment, CommentContact, DemographicAnswer
from review_app.extensions import db
from review_app.moderation.models import ModerationLogEntry
from review_app.reports.models import OutboxMessage, ReportVersion
from review_app.reports.summary import build_summary, shown, suppressed
from review_app.timeutil import utcnow

from ..conftest import TEST_PASSWORD

WITH_PHONE = "The new rules on tasers are too loose. Call me at 555-201-3344 if you want to talk."


def submit(client, round_, body, key="k", **fields):
    return client.post(f"/rounds/{round_.slug}/comments", data={"body": body, "idempotency_key": key, **fields})


def only_comment() -> Comment:
    db.session.expire_all()
    return db.session.scalar(select(Comment))


def decide(client, comment, action, reason, note="", confirm=False):
    data = {"action": action, "reason": reason, "note": note, **({"pii_confirmed": "y"} if confirm else {})}
    return client.post(f"/moderation/comments/{comment.id}/decide", data=data)


@pytest.fixture
def moderator_client(app, make_user):
    browser = app.test_client()
    user = make_user(roles=["moderator"])
    browser.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
    return browser


# ---- the hold -----------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["post", "pre"])
def test_personal_data_holds_a_comment_in_every_mode_and_the_receipt_says_why(client, make_round, mode):
    round_ = make_round(moderation_mode=mode)
    receipt = client.get(submit(client, round_, WITH_PHONE).headers["Location"]).get_data(as_text=True)
    assert only_comment().status == "held"
    assert "held, not published yet" in receipt and "a phone number" in receipt
    assert "555-201-3344" not in client.get(f"/rounds/{round_.slug}").get_data(as_text=True)


def test_a_comment_without_personal_data_is_published_or_waits_as_its_round_says(client, make_round):
    for mode, status in (("post", "published"), ("pre", "pending")):
        submit(client, make_round(moderation_mode=mode), "Ban chokeholds outright.", key=mode)
        assert db.session.scalar(select(Comment.status).order_by(Comment.id.desc()).limit(1)) == status


def test_a_comment_waits_unpublished_when_tagging_fails(client, make_round, monkeypatch):
    from review_app.analysis import services as analysis

    monkeypatch.setattr(analysis, "tagger", lambda: (_ for _ in ()).throw(RuntimeError("the pipeline is down")))
    round_ = make_round(moderation_mode="post")
    receipt = client.get(submit(client, round_, "Nothing personal here at all.").headers["Location"])
    assert only_comment().status == "checking" and only_comment().published_at is None
    assert "being checked for personal details" in receipt.get_data(as_text=True)
    assert "Nothing personal here" not in client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    monkeypatch.undo()
    from review_app.jobs import enqueue_pending

    enqueue_pending()  # what `flask analyse` or a worker's sweep does later
    assert only_comment().status == "published"


def test_a_retag_that_finds_personal_data_holds_a_published_comment(make_round, make_comment):
    from review_app.analysis.services import analyse

    comment = make_comment(make_round(), body=WITH_PHONE)  # published before the pipeline read it
    analyse([comment])
    assert only_comment().status == "held"
    [entry] = db.session.scalars(select(ModerationLogEntry)).all()
    assert (entry.action, entry.moderator_id) == ("hold", None)


# ---- decisions ----------------------------------------------------------------------------------

def test_no_decision_comes_with_a_reason_chosen_and_each_looks_different(client, moderator_client, make_round):
    round_ = make_round(moderation_mode="pre")
    submit(client, round_, "Waiting for a moderator.")
    page = moderator_client.get("/moderation/").get_data(as_text=True)
    assert not re.search(r"<option[^>]*\bselected", page.split("<section aria-labelledby=\"items-heading\">")[1])
    assert page.count('<option value="">Choose a reason</option>') == 3  # publish, reject, and for the selection
    assert 'class="usa-button">Publish' in page and 'class="usa-button usa-button--secondary">Reject' in page
    response = decide(moderator_client, only_comment(), "approve", "")
    assert "Choose a decision and a reason" in moderator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert only_comment().status == "pending"


def test_publishing_held_personal_data_needs_a_confirmation_and_a_note(client, moderator_client, make_round):
    round_ = make_round()
    submit(client, round_, WITH_PHONE)
    held = only_comment()
    page = moderator_client.get(f"/moderation/comments/{held.id}").get_data(as_text=True)
    assert '<mark class="pii">555-201-3344' in page and 'name="pii_confirmed"' in page
    for confirm, note in ((False, "a public office line"), (True, "")):
        decide(moderator_client, held, "approve", "not_personal_data", note, confirm)
        assert only_comment().status == "held"
    decide(moderator_client, held, "approve", "not_personal_data", "the city's public tip line", confirm=True)
    comment = only_comment()
    assert comment.status == "published" and comment.pii_cleared_at is not None
    assert "555-201-3344" in client.get(f"/rounds/{round_.slug}").get_data(as_text=True)


def test_a_restore_keeps_the_redaction_and_restoring_unredacted_data_needs_a_confirmation(
        client, moderator_client, make_round):
    round_ = make_round()
    submit(client, round_, WITH_PHONE)
    moderator_client.post(f"/moderation/comments/{only_comment().id}/redact",
                          data={"text": WITH_PHONE.replace("555-201-3344", "[phone number removed]")})
    decide(moderator_client, only_comment(), "hide", "off_topic")
    decide(moderator_client, only_comment(), "restore", "reviewed_again")
    assert only_comment().status == "published" and only_comment().redacted_body is not None
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "[phone number removed]" in page and "555-201-3344" not in page


def test_a_redaction_that_leaves_found_data_in_is_refused(client, moderator_client, make_round):
    submit(client, make_round(), WITH_PHONE)
    response = moderator_client.post(f"/moderation/comments/{only_comment().id}/redact",
                                     data={"text": WITH_PHONE.replace("tasers", "stun guns")})
    assert "still holds" in moderator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert only_comment().redacted_body is None and only_comment().status == "held"


# ---- residents' data rights ---------------------------------------------------------------------

@pytest.fixture
def resident(app, make_user):
    user = make_user(display_name="Rosa Example")
    browser = app.test_client()
    browser.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
    return user, browser


def test_a_resident_withdraws_a_comment_and_the_public_sees_only_that(client, resident, make_round):
    user, browser = resident
    round_ = make_round()
    submit(browser, round_, "Fund the crisis team first.", email="rosa@example.org")
    comment = only_comment()
    assert "Withdraw this comment" in browser.get("/my/comments").get_data(as_text=True)
    assert client.post(f"/my/comments/{comment.id}/withdraw").status_code == 302  # to sign in: not the author's
    browser.post(f"/my/comments/{comment.id}/withdraw")
    comment = only_comment()
    assert comment.status == "withdrawn" and comment.withdrawn_at is not None
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "Fund the crisis team" not in page and "withdrawn by its author" in page
    assert db.session.scalars(select(CommentContact)).all() == []  # the email to hear back is gone
    [entry] = db.session.scalars(select(ModerationLogEntry)).all()
    assert (entry.action, entry.moderator_id) == ("withdraw", user.id)


def test_a_resident_downloads_everything_held_about_them(resident, make_round):
    user, browser = resident
    round_ = make_round()
    submit(browser, round_, WITH_PHONE, email="rosa@example.org")
    response = browser.get("/account/data.json")
    data = json.loads(response.data)
    assert response.headers["Cache-Control"] == "no-store" and "attachment" in response.headers["Content-Disposition"]
    assert data["account"]["email"] == user.email
    [comment] = data["comments"]
    assert comment["text_as_sent"] == WITH_PHONE and comment["email_to_hear_back"] == "rosa@example.org"
    assert comment["status"] == "held"


@pytest.mark.parametrize("choice, status, name", [("anonymise", "published", "Anonymous"), ("withdraw", "withdrawn", None)])
def test_deleting_an_account_keeps_or_withdraws_the_comments_as_chosen(
        client, resident, make_round, choice, status, name):
    user, browser = resident
    round_ = make_round(districts=["Northside"])
    submit(browser, round_, "Fund the crisis team first.", email="rosa@example.org")
    db.session.add(DemographicAnswer(round_id=round_.id, user_id=user.id, district="Northside"))
    db.session.commit()
    refused = browser.post("/account/delete", data={"comments": choice, "password": "wrong password"})
    assert refused.status_code == 422 and db.session.get(User, user.id).erased_at is None
    browser.post("/account/delete", data={"comments": choice, "password": TEST_PASSWORD})
    db.session.expire_all()
    erased = db.session.get(User, user.id)
    assert erased.erased_at is not None and "Rosa" not in erased.display_name and "example.org" not in erased.email
    assert only_comment().status == status and only_comment().author_id is None
    assert db.session.scalars(select(CommentContact)).all() == []
    assert db.session.scalar(select(DemographicAnswer.user_id)) is None  # still counted, tied to no one
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "Rosa Example" not in page and (name is None or name in page)
    assert browser.get("/account/").status_code == 302  # signed out everywhere
    assert client.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 422


def test_an_admin_exports_and_erases_on_request_and_both_are_logged(app, resident, make_user, make_round):
    user, browser = resident
    submit(browser, make_round(), "My comment.")
    admin = app.test_client()
    admin_user = make_user(roles=["admin"])
    admin.post("/account/login", data={"email": admin_user.email, "password": TEST_PASSWORD})
    assert admin.post(f"/admin/users/{user.id}/data", data={"note": ""}).status_code == 302  # no note: refused
    exported = admin.post(f"/admin/users/{user.id}/data", data={"note": "letter of 3 Dec, ref 2026-17"})
    assert json.loads(exported.data)["comments"][0]["text_as_sent"] == "My comment."
    admin.post(f"/admin/users/{user.id}/erase", data={"comments": "withdraw", "note": "email of 4 Dec"})
    assert db.session.get(User, user.id).erased_at is not None and only_comment().status == "withdrawn"
    log = [(e.action, e.moderator_id, e.subject_user_id) for e in db.session.scalars(
        select(ModerationLogEntry).where(ModerationLogEntry.subject_user_id.is_not(None)))]
    assert log == [("export_account", admin_user.id, user.id), ("erase_account", admin_user.id, user.id)]


def test_retention_drops_contacts_notices_and_withdrawn_text_after_the_report(runner, resident, make_round):
    user, browser = resident
    old, recent = make_round(), make_round()
    for round_, days in ((old, 100), (recent, 10)):
        for key in ("kept", "withdrawn"):
            submit(browser, round_, f"A comment to be {key} in {round_.slug}.", key=f"{key}{round_.id}",
                   email="rosa@example.org")
        round_.status = "reported"
        db.session.add(ReportVersion(round_id=round_.id, number=1, content={},
                                     published_at=utcnow() - timedelta(days=days)))
        db.session.add(OutboxMessage(key=f"report:{round_.id}:rosa@example.org", to_address="rosa@example.org",
                                     subject="s", body="b"))
    db.session.commit()
    for comment in db.session.scalars(select(Comment).where(Comment.body.contains("withdrawn"))).all():
        browser.post(f"/my/comments/{comment.id}/withdraw")
    result = runner.invoke(args=["apply-retention", "--days", "90"])
    assert "1 rounds past 90 days: 1 contact emails, 1 notices and 1 withdrawn comments' texts dropped" in result.output
    db.session.expire_all()
    remaining = db.session.scalars(select(CommentContact.comment_id)).all()
    assert [db.session.get(Comment, i).round_id for i in remaining] == [recent.id]
    bodies = db.session.scalars(select(Comment.body).order_by(Comment.id)).all()
    assert [("withdrawn in" in body) for body in bodies] == [False, False, False, True]
    assert [o.key for o in db.session.scalars(select(OutboxMessage))] == [f"report:{recent.id}:rosa@example.org"]


def test_pages_for_signed_in_people_are_never_stored_by_a_cache(client, resident, make_user, make_round):
    user, browser = resident
    round_ = make_round()
    assert "no-store" not in client.get(f"/rounds/{round_.slug}").headers.get("Cache-Control", "")
    for url in (f"/rounds/{round_.slug}", "/my/comments", "/account/"):
        assert browser.get(url).headers["Cache-Control"] == "no-store", url
    staff = make_user(roles=["moderator", "official"])
    client.post("/account/login", data={"email": staff.email, "password": TEST_PASSWORD})
    for url in ("/moderation/", f"/reports/{round_.slug}/summary", "/moderation/log"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


# ---- small counts -------------------------------------------------------------------------------

@pytest.mark.parametrize("counts, withheld", [
    ([40, 30, 20], [False, False, False]),
    ([40, 30, 3], [False, True, True]),  # the 3 alone would follow from the total
    ([40, 3, 2], [False, True, True]),  # two small ones adding up to 5 cover each other
    ([40, 1, 0], [True, True, True]),
    ([0, 0, 0], [True, True, True]),
])
def test_small_counts_and_those_that_would_give_them_away_are_withheld(counts, withheld):
    assert suppressed(counts) == withheld


def test_answers_added_to_learn_a_count_reveal_nothing(app, client, make_round, make_user):
    """Four throwaway accounts answering one district, against one, two or three real residents:
    the published count is the same whatever the real number was."""
    published = set()
    for genuine in (1, 2, 3):
        round_ = make_round(districts=["Northside", "Riverside"], ask_age_band=False, ask_relationship=False)
        for _ in range(genuine + 4):
            db.session.add(DemographicAnswer(round_id=round_.id, user_id=make_user().id, district="Northside"))
        for _ in range(20):
            db.session.add(DemographicAnswer(round_id=round_.id, user_id=make_user().id, district="Riverside"))
        db.session.commit()
        assert client.get(f"/api/v1/rounds/{round_.slug}/summary").json["districts"] is None  # open: not public yet
        published.add(tuple(build_summary(round_).districts[0][1:3]))
    assert published == {(5, 20)}
    assert shown([7, 8]) == [5, 10]


def test_a_changed_answer_is_recounted(make_round, make_user):
    round_ = make_round(districts=["Northside", "Riverside", "Eastgate"])
    answers = [DemographicAnswer(round_id=round_.id, user_id=make_user().id, district=district)
               for district in ("Northside", "Riverside", "Eastgate") for _ in range(10)]
    db.session.add_all(answers)
    db.session.commit()
    assert [row[1] for row in build_summary(round_).districts] == [10, 10, 10]
    for answer in answers[:5]:  # five residents move from Northside to Riverside: as many answers as before
        answer.district = "Riverside"
    db.session.commit()
    assert [row[1] for row in build_summary(round_).districts] == [5, 15, 10]


def test_answers_cannot_be_added_or_changed_once_a_round_closes(resident, make_round):
    user, browser = resident
    round_ = make_round(status="closed", districts=["Northside"])
    response = browser.post(f"/rounds/{round_.slug}/about-you", data={"district": "Northside"})
    assert response.status_code == 302 and db.session.scalars(select(DemographicAnswer)).all() == []
