"""Residents review the draft response plan; the final plan shows what they said and what changed;
the public tracker follows each action with progress updates sent once to followers."""

import io
import json
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from review_app.analysis.models import CommentAnalysis
from review_app.comments.models import Comment
from review_app.extensions import db
from review_app.moderation.models import ModerationLogEntry
from review_app.reports import actions, privacy, services
from review_app.reports.models import ActionFollow, ActionUpdate, OutboxMessage, ReportVersion
from review_app.rounds.models import Round
from review_app.timeutil import utcnow

from ..conftest import TEST_PASSWORD

THEMES = ("use_of_force", "community_trust")
WITH_PHONE = "This action is too slow. Call me at 555-201-3344 to talk about it."


@pytest.fixture
def round_(make_round, make_comment):
    round_ = make_round(status="closed", closes_at=utcnow() - timedelta(days=1))
    for theme in THEMES:
        comment = make_comment(round_, body=f"Words about {theme}.")
        db.session.add(CommentAnalysis(comment_id=comment.id, themes=[theme], theme_scores={theme: 0.9},
                                       stance="unclear", model_version="test"))
    db.session.commit()
    return round_


def answer(theme, **changes):
    values = {"what_we_heard": f"Heard on {theme}.", "what_we_will_do": f"We will act on {theme}.", "status": "planned",
              "reason": "", "department": "Police", "target_date": "2027-01-31", "policy_link": "",
              "indicator": "Share of calls answered within 10 minutes", "baseline": "41%", "target": "80%",
              "data_source": "https://data.example.gov/calls", "milestones": "2027-03-01 Every dispatcher trained\n2027-01-15 Team hired",
              "change_reason": "", "section_number": "1" if theme == "use_of_force" else ""}
    values.update(changes)
    return {f"{theme}-{name}": value for name, value in values.items()}


def save(client, round_, **per_theme):
    data = {}
    for theme in THEMES:
        data.update(answer(theme, **per_theme.get(theme, {})))
    return client.post(f"/reports/{round_.slug}/plan", data=data)


def open_review(client, round_, days=14):
    return client.post(f"/reports/{round_.slug}/review", data={"closes_on": (utcnow().date() + timedelta(days=days)).isoformat()})


def review_of(round_) -> Round:
    db.session.expire_all()
    return actions.review_round(round_)


def comment(client, review, number, body, key):
    section = next(s for s in review.sections if s.number == number)
    return client.post(f"/rounds/{review.slug}/comments", data={"body": body, "section_id": str(section.id),
                                                                "idempotency_key": key, "origin": "section"})


def finalise(client, round_, note="Final plan after residents' review."):
    number = len(services.versions(round_)) + 1
    return client.post(f"/reports/{round_.slug}/publish", data={"change_note": note, "version": number})


@pytest.fixture
def drafted(client, official, round_):
    assert save(client, round_).status_code == 302
    assert open_review(client, round_).status_code == 302
    return round_


# ---- the plan editor ----------------------------------------------------------------------------

def test_the_plan_editor_holds_each_actions_measure_and_milestones(client, official, round_):
    page = client.get(f"/reports/{round_.slug}/plan").get_data(as_text=True)
    for name in ("indicator", "baseline", "target", "data_source", "milestones", "change_reason"):
        assert f'name="use_of_force-{name}"' in page
    save(client, round_)
    stored = services.responses(round_)["use_of_force"]
    assert (stored.indicator, stored.baseline, stored.target) == ("Share of calls answered within 10 minutes", "41%", "80%")
    assert [m["title"] for m in actions.milestone_list(stored.milestones)] == ["Team hired", "Every dispatcher trained"]


def test_a_milestone_without_a_date_is_refused_with_the_line_named(client, official, round_):
    response = save(client, round_, use_of_force={"milestones": "next spring: train everyone"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Start each milestone with its date" in page and "next spring" in page
    assert services.responses(round_) == {}


# ---- opening the review -------------------------------------------------------------------------

def test_opening_the_review_makes_a_round_of_the_draft_actions_and_a_public_draft(client, official, drafted):
    review = review_of(drafted)
    assert review.status == "open" and review.accepting_comments and review.responds_to_id == drafted.id
    assert [s.heading for s in review.sections] == ["Use of force", "Community trust and engagement"]
    assert "What we propose: We will act on use_of_force." in review.sections[0].body
    assert "41%" in review.sections[0].body and "2027-01-15: Team hired" in review.sections[0].body
    assert "Changes section 1 of the policy: Heading 1" in review.sections[0].body
    assert "Changes section" not in review.sections[1].body
    version = services.versions(drafted)[0]
    assert version.stage == "draft" and drafted.status == "closed"  # not reported: the plan is not final

    report = client.get(f"/rounds/{drafted.slug}/report").get_data(as_text=True)
    last_day = (utcnow().date() + timedelta(days=14))
    assert "Draft response plan — comment until" in report and str(last_day.year) in report
    assert f'/rounds/{review.slug}/sections/1"' in report and "Comment on this proposed action" in report
    round_page = client.get(f"/rounds/{review.slug}").get_data(as_text=True)
    assert "draft response plan, put to residents" in round_page and "The proposed actions" in round_page
    assert "Read a proposed action" in round_page and "Read a section" not in round_page


@pytest.mark.parametrize("days, message", [(-1, "The deadline is in the past")])
def test_a_deadline_in_the_past_is_refused_and_nothing_opens(client, official, round_, days, message):
    save(client, round_)
    response = open_review(client, round_, days=days)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert review_of(round_) is None and services.versions(round_) == []


def test_without_any_action_the_review_cannot_open(client, official, round_):
    response = open_review(client, round_)
    assert "Write at least one action" in response.get_data(as_text=True) and review_of(round_) is None


def test_a_missing_deadline_is_refused(client, official, round_):
    save(client, round_)
    assert "Choose the last day" in client.post(f"/reports/{round_.slug}/review", data={}).get_data(as_text=True)
    assert review_of(round_) is None


def test_a_second_opening_is_refused(client, official, drafted):
    with pytest.raises(actions.ActionProblem, match="already reviewing"):
        actions.open_review(drafted, official, utcnow().date() + timedelta(days=3))
    assert "Residents are reviewing the draft" in client.get(f"/reports/{drafted.slug}/review").get_data(as_text=True)
    assert db.session.scalar(select(func.count(Round.id)).where(Round.responds_to_id == drafted.id)) == 1


def test_an_open_round_cannot_put_a_draft_out(client, official, make_round):
    open_round = make_round(status="open")
    response = open_review(client, open_round)
    assert "Only a closed round" in response.get_data(as_text=True)


def test_residents_cannot_open_a_review(client, make_user, auth, round_):
    auth.login(make_user())
    assert open_review(client, round_).status_code in (302, 403)
    assert review_of(round_) is None


# ---- residents comment on the draft -------------------------------------------------------------

def test_residents_comment_on_a_draft_action_with_the_usual_machinery(app, client, drafted):
    client.post("/account/logout")
    review = review_of(drafted)
    assert comment(client, review, "1", "Train the dispatchers first, then hire.", "a").status_code == 302
    assert comment(client, review, "1", "Por favor, que el equipo hable español.", "b").status_code == 302
    assert comment(client, review, "2", WITH_PHONE, "c").status_code == 302
    statuses = dict(db.session.execute(select(Comment.body, Comment.status).where(Comment.round_id == review.id)).all())
    assert statuses[WITH_PHONE] == "held"  # the personal-data hold, as in any round
    assert statuses["Train the dispatchers first, then hire."] == "published"
    assert Comment.query.filter_by(round_id=review.id).first().receipt  # receipts too
    section = client.get(f"/rounds/{review.slug}/sections/1").get_data(as_text=True)
    assert "Train the dispatchers first" in section and "que el equipo hable español" in section
    assert "555-201-3344" not in client.get(f"/rounds/{review.slug}/sections/2").get_data(as_text=True)
    # The policy round's own numbers never count the draft's comments.
    assert services.content(drafted)["participation"]["comments"] == 2


# ---- from draft to final ------------------------------------------------------------------------

def test_a_changed_action_needs_a_reason_and_the_final_report_shows_the_diff_feedback_and_quotes(app, client, official, drafted, make_user):
    review = review_of(drafted)
    other = app.test_client()
    other.post("/account/logout")
    comment(other, review, "1", "Train the dispatchers first, then hire.", "a")
    comment(other, review, "1", WITH_PHONE, "b")
    supporter = make_user()
    first = db.session.scalar(select(Comment).where(Comment.round_id == review.id, Comment.status == "published"))
    resident = app.test_client()
    resident.post("/account/login", data={"email": supporter.email, "password": TEST_PASSWORD})
    assert resident.post(f"/comments/{first.id}/support").status_code in (200, 302)

    save(client, drafted, use_of_force={"what_we_will_do": "We will train every dispatcher before hiring."})
    refused = finalise(client, drafted)
    assert "Say why each changed action changed" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert len(services.versions(drafted)) == 1

    save(client, drafted, use_of_force={"what_we_will_do": "We will train every dispatcher before hiring.",
                                        "change_reason": "Residents asked for training first."})
    assert finalise(client, drafted).status_code == 302
    db.session.expire_all()
    final = services.versions(drafted)[0]
    assert final.stage == "final" and drafted.status == "reported" and review_of(drafted).status == "closed"
    feedback = next(t for t in final.content["themes"] if t["key"] == "use_of_force")["draft_feedback"]
    assert feedback["comments"] == 1 and feedback["supports"] == 1  # the held comment is not counted

    report = client.get(f"/rounds/{drafted.slug}/report").get_data(as_text=True)
    assert "What residents said about the draft" in report and "1 comment on the draft action" in report
    assert "Train the dispatchers first, then hire." in report and "555-201-3344" not in report
    assert "Why it changed:" in report and "Residents asked for training first." in report
    assert "<ins>" in report and "train every dispatcher before hiring." in report
    assert "Draft response plan — comment until" not in report


# ---- the tracker ----------------------------------------------------------------------------------

@pytest.fixture
def final(client, official, drafted):
    assert finalise(client, drafted).status_code == 302
    db.session.expire_all()
    return drafted


def action_id(round_, theme="use_of_force"):
    return services.responses(round_)[theme].id


def post_update(client, round_, key="k1", **changes):
    data = {"key": key, "status": "in progress", "body": "The first ten dispatchers are trained.",
            "indicator_value": "52%", "measured_on": "2027-02-01", "milestone": "Team hired"}
    data.update(changes)
    return client.post(f"/reports/{round_.slug}/actions/{action_id(round_)}/update", data=data)


def test_an_update_on_a_plan_not_published_is_refused_clearly(client, official, round_):
    save(client, round_)
    response = post_update(client, round_)
    assert response.status_code == 400 and "not published yet" in response.get_data(as_text=True)
    with pytest.raises(actions.ActionProblem):
        actions.post_update(round_, action_id(round_), official, {"body": "x", "status": "planned"}, None)
    assert db.session.scalar(select(func.count(ActionUpdate.id))) == 0


def test_a_missing_action_is_a_404(client, official, final):
    assert client.get(f"/rounds/{final.slug}/actions/99999").status_code == 404
    assert client.post(f"/reports/{final.slug}/actions/99999/update", data={"body": "x"}).status_code == 404


def test_the_tracker_shows_status_milestones_indicator_and_updates(client, official, final):
    assert post_update(client, final).status_code == 302
    listing = client.get(f"/rounds/{final.slug}/actions").get_data(as_text=True)
    assert "Use of force" in listing and "52%" in listing and "In progress" in listing
    page = client.get(f"/rounds/{final.slug}/actions/{action_id(final)}").get_data(as_text=True)
    assert "The first ten dispatchers are trained." in page and "Reached on" in page and "Not reached yet" in page
    assert "41%" in page and "80%" in page and "https://data.example.gov/calls" in page
    round_page = client.get(f"/rounds/{final.slug}").get_data(as_text=True)
    assert 'aria-current="step"' in round_page and "Step</span> <span class=\"usa-step-indicator__current-step\">4" in round_page


def test_an_action_is_shared_with_its_status_and_indicator_and_its_tile_follows_updates(client, official, final):
    url = f"/rounds/{final.slug}/actions/{action_id(final)}"
    tags = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)"',
                           client.get(url).get_data(as_text=True)))
    assert tags["og:url"].endswith(url) and tags["og:image"].endswith(f"{url}/tile.png")
    assert tags["og:title"].startswith("Use of force: ") and tags["og:description"].startswith("Planned · target 80%")

    def drawn():
        response = client.get(f"{url}/tile.png")
        assert response.status_code == 200 and response.mimetype == "image/png"
        image = Image.open(io.BytesIO(response.data))
        assert image.size == (1200, 630)
        return image.text["Description"]

    before = drawn()
    assert "Use of force" in before and "Baseline: 41%" in before and "Target: 80%" in before and "Now:" not in before
    assert post_update(client, final).status_code == 302
    after = drawn()  # drawn again after the update
    assert "In progress" in after and "Now: 52%" in after and "The first ten dispatchers" not in after


def test_an_update_needs_text_and_a_measure_needs_its_date(client, official, final):
    page = post_update(client, final, body="", measured_on="").get_data(as_text=True)
    assert "Say what happened" in page and "Say when the value was measured" in page
    assert db.session.scalar(select(func.count(ActionUpdate.id))) == 0


def test_a_follower_gets_one_notice_per_update_even_if_it_is_posted_twice(app, client, official, final):
    visitor = app.test_client()
    target = f"/rounds/{final.slug}/actions/{action_id(final)}"
    assert visitor.post(f"{target}/follow", data={"email": "Follower@Example.org"}).status_code == 302
    row = db.session.scalar(select(ActionFollow))
    assert row.confirmed_at is None
    confirm = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key.like("follow:%")))
    assert confirm.to_address == "follower@example.org" and f"/follows/confirm?token={row.token}" in confirm.body

    post_update(client, final, key="before-confirming")  # an unconfirmed address gets nothing
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.key.like("action:%"))) == 0

    assert "Press the button" in visitor.get(f"/follows/confirm?token={row.token}").get_data(as_text=True)
    assert visitor.post(f"/follows/confirm?token={row.token}").status_code == 302
    post_update(client, final, key="twice", body="Half the dispatchers are trained.")
    post_update(client, final, key="twice", body="Half the dispatchers are trained.")  # a double submit
    notices = db.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("action:%"))).all()
    assert len(notices) == 1 and "Half the dispatchers are trained." in notices[0].body
    assert f"/follows/unfollow?token={row.token}" in notices[0].body
    assert db.session.scalar(select(func.count(ActionUpdate.id))) == 2

    # The address appears on no public page.
    assert "follower@example.org" not in visitor.get(target).get_data(as_text=True).lower()
    assert visitor.post(f"/follows/unfollow?token={row.token}").status_code == 302
    assert db.session.scalar(select(func.count(ActionFollow.id))) == 0
    assert visitor.get("/follows/unfollow?token=nothing").status_code == 404


def test_following_without_an_address_or_with_a_bad_one_is_refused(app, final):
    visitor = app.test_client()
    target = f"/rounds/{final.slug}/actions/{action_id(final)}/follow"
    assert "Enter your email" in visitor.post(target, data={}).get_data(as_text=True)
    assert visitor.post(target, data={"email": "not an address"}).status_code == 400
    assert db.session.scalar(select(func.count(ActionFollow.id))) == 0


def test_a_signed_in_resident_follows_at_once(app, make_user, final):
    resident = make_user()
    browser = app.test_client()
    browser.post("/account/login", data={"email": resident.email, "password": TEST_PASSWORD})
    browser.post(f"/rounds/{final.slug}/actions/{action_id(final)}/follow", data={})
    row = db.session.scalar(select(ActionFollow))
    assert row.email == resident.email and row.confirmed_at is not None


# ---- open data --------------------------------------------------------------------------------------

def test_actions_as_csv_and_json_without_personal_data(app, client, official, final):
    post_update(client, final)
    app.test_client().post(f"/rounds/{final.slug}/actions/{action_id(final)}/follow", data={"email": "private@example.org"})
    as_csv = client.get(f"/rounds/{final.slug}/actions.csv").get_data(as_text=True)
    assert as_csv.splitlines()[0].startswith("id,theme,title,status") and "52%" in as_csv
    data = json.loads(client.get(f"/rounds/{final.slug}/actions.json").get_data(as_text=True))
    first = next(a for a in data["actions"] if a["theme"] == "use_of_force")
    assert first["status"] == "in progress" and first["current_value"] == "52%" and first["measured_on"] == "2027-02-01"
    assert first["policy_section"] == "1"
    assert first["updates"][0]["body"] == "The first ten dispatchers are trained."
    for text in (as_csv, json.dumps(data)):
        assert "private@example.org" not in text and official.email not in text


def test_the_home_page_shows_each_rounds_step(client, round_):
    page = client.get("/").get_data(as_text=True)
    assert "Now: Draft response (step 2 of 4)" in page


def test_the_api_lists_the_actions_of_the_final_plan(client, official, final):
    post_update(client, final)
    listed = client.get(f"/api/v1/rounds/{final.slug}/actions").get_json()["actions"]
    first = next(a for a in listed if a["theme"] == "use_of_force")
    assert first["current_value"] == "52%" and first["milestones"][0] == {"on": "2027-01-15", "title": "Team hired", "reached_on": first["updates"][0]["posted_at"][:10]}
    assert client.get(f"/api/v1/rounds/{final.slug}/actions/{first['id']}").get_json()["status"] == "in progress"
    assert client.get(f"/api/v1/rounds/{final.slug}/actions/999999").status_code == 404
    stages = [r["stage"] for r in client.get(f"/api/v1/rounds/{final.slug}/reports").get_json()["reports"]]
    assert stages == ["draft", "final"]


def test_the_home_page_lists_a_review_of_a_draft_only_while_it_takes_comments(client, official, drafted):
    review = review_of(drafted)
    assert review.title in client.get("/").get_data(as_text=True)
    finalise(client, drafted)
    assert review.title not in client.get("/").get_data(as_text=True)


def test_milestones_sent_back_unchanged_with_browser_line_breaks_are_not_a_change(client, official, round_):
    save(client, round_)
    again = {k: v.replace("\n", "\r\n") for k, v in {**answer("use_of_force"), **answer("community_trust")}.items()}
    response = client.post(f"/reports/{round_.slug}/plan", data=again)
    assert "0 themes changed" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_follows_are_in_a_residents_data_and_go_with_erasure_and_retention(app, make_user, final):
    from review_app.accounts import data_rights

    resident = make_user(email="keeps@example.org")
    with app.test_request_context():  # the confirmation email's links
        actions.follow(final, action_id(final), resident.email, confirmed=True)
        actions.follow(final, action_id(final, "community_trust"), "never-confirmed@example.org", confirmed=False)
    assert data_rights.export(resident)["actions_followed"][0]["action_id"] == action_id(final)

    old = utcnow() - timedelta(days=200)
    db.session.execute(ActionFollow.__table__.update().values(created_at=old))
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.key.like("follow:%")).values(sent_at=old))
    db.session.commit()
    data_rights.apply_retention(90)
    assert db.session.scalars(select(ActionFollow.email)).all() == ["keeps@example.org"]  # confirmed: kept until unsubscribed
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.key.like("follow:%"))) == 0

    data_rights.erase(resident, "anonymise", actor=resident)
    assert db.session.scalar(select(func.count()).select_from(ActionFollow)) == 0


def test_a_quoted_comment_on_the_draft_hidden_later_leaves_the_final_report_at_once(app, client, official, drafted, make_user):
    from review_app.moderation import services as moderation

    review = review_of(drafted)
    visitor = app.test_client()
    comment(visitor, review, "1", "Quote me on the training, please.", "q")
    finalise(client, drafted)
    assert "Quote me on the training" in client.get(f"/rounds/{drafted.slug}/report").get_data(as_text=True)
    quoted = db.session.scalar(select(Comment).where(Comment.round_id == review.id))
    moderation.decide(quoted, make_user(roles=["moderator"]), "hide", "off_topic")
    page = client.get(f"/rounds/{drafted.slug}/report").get_data(as_text=True)
    assert "Quote me on the training" not in page and "removed by moderators" in page
    assert services.versions(drafted)[0].amended_at is not None


def test_officials_read_the_review_like_any_round_and_cannot_publish_a_plan_from_it(client, official, drafted):
    review = review_of(drafted)
    assert client.get(f"/reports/{review.slug}/summary").status_code == 200
    assert review.slug in client.get("/staff/").get_data(as_text=True)
    with pytest.raises(services.ReportProblem):
        services.publish(review, official, "")


def test_an_action_names_a_section_of_the_round_or_none(client, official, round_):
    assert save(client, round_, use_of_force={"section_number": "99"}).status_code == 200  # not a section of this round
    assert services.responses(round_) == {}
    save(client, round_)
    assert services.responses(round_)["use_of_force"].section_number == "1"


def test_the_report_reads_the_plan_section_by_section(client, official, final):
    page = client.get(f"/rounds/{final.slug}/report").get_data(as_text=True)
    table = page[page.index('id="by-section"'):page.index('id="proposed-actions"')]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert f'/rounds/{final.slug}/sections/1"' in rows[1] and 'href="#r-use_of_force">Use of force</a> (planned)' in rows[1]
    assert all("No change proposed" in row for row in rows[2:]) and len(rows) == 1 + len(final.sections)
    draft = client.get(f"/rounds/{final.slug}/report/v1").get_data(as_text=True)
    assert "What the city proposes for it" in draft  # the draft proposes; the final plan will change


def test_residents_who_asked_to_hear_back_learn_the_draft_is_open_once(client, official, round_):
    from review_app.comments.models import CommentContact

    first = db.session.scalar(select(Comment).where(Comment.round_id == round_.id))
    db.session.add(CommentContact(comment_id=first.id, email="hear-back@example.org"))
    db.session.commit()
    save(client, round_)
    open_review(client, round_)
    [notice] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "hear-back@example.org")).all()
    assert notice.key.startswith(f"report:{round_.id}:draft:") and f"/rounds/{review_of(round_).slug}" in notice.body
    finalise(client, round_)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.to_address == "hear-back@example.org")) == 2  # and the final plan


def test_a_resident_who_wrote_in_spanish_learns_of_the_draft_in_spanish(client, official, round_):
    from review_app.comments.models import CommentContact

    first = db.session.scalar(select(Comment).where(Comment.round_id == round_.id))
    db.session.add(CommentContact(comment_id=first.id, email="escucha@example.org"))
    db.session.get(CommentAnalysis, db.session.scalar(select(CommentAnalysis.id).where(
        CommentAnalysis.comment_id == first.id))).lang = "es"
    db.session.commit()
    save(client, round_)
    open_review(client, round_)
    [notice] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "escucha@example.org")).all()
    assert notice.subject.startswith("Comente la respuesta preliminar de la ciudad")
    assert f"/language/es?next=/rounds/{review_of(round_).slug}" in notice.body



# ---- officials' own text: checked for personal data before it goes public ------------------------------

def test_a_plan_with_a_phone_number_is_not_published_until_the_official_confirms_it(client, official, round_):
    save(client, round_, community_trust={"what_we_will_do": "Officer Dana Whitfield will call residents back from 555-201-3344."})
    assert "555-201-3344" in client.get(f"/reports/{round_.slug}/plan").get_data(as_text=True)  # warned on the plan itself
    preview = client.get(f"/reports/{round_.slug}/publish").get_data(as_text=True)
    assert "look like personal data" in preview and '<mark lang="en">555-201-3344</mark>' in preview and '<mark lang="en">Dana Whitfield</mark>' in preview
    assert 'href="/reports/%s/plan#community_trust-what_we_will_do"' % round_.slug in preview

    refused = finalise(client, round_, note="First publication.")
    assert refused.status_code == 200 and "or tick this box" in refused.get_data(as_text=True)
    assert services.versions(round_) == []
    with pytest.raises(privacy.PersonalDataProblem):
        services.publish(round_, official, "First publication.")

    number = len(services.versions(round_)) + 1
    confirmed = client.post(f"/reports/{round_.slug}/publish",
                            data={"change_note": "First publication.", "version": number, "public_details": "y"})
    assert confirmed.status_code == 302 and len(services.versions(round_)) == 1


def test_a_change_note_with_an_email_is_refused_and_the_note_is_kept(client, official, round_):
    save(client, round_)
    page = finalise(client, round_, note="Questions to j.whitcomb@gmail.com").get_data(as_text=True)
    assert "j.whitcomb@gmail.com" in page and "Change note" in page and services.versions(round_) == []


def test_a_draft_with_personal_data_is_not_put_to_residents_unconfirmed(client, official, round_):
    save(client, round_, use_of_force={"milestones": "2027-03-01 Training led by Sgt. Marcus Oyelaran, badge 4471"})
    page = client.get(f"/reports/{round_.slug}/review").get_data(as_text=True)
    assert '<mark lang="en">Marcus Oyelaran</mark>' in page and '<mark lang="en">4471</mark>' in page
    assert open_review(client, round_).status_code == 200 and review_of(round_) is None and services.versions(round_) == []
    response = client.post(f"/reports/{round_.slug}/review", data={
        "closes_on": (utcnow().date() + timedelta(days=14)).isoformat(), "public_details": "y"})
    assert response.status_code == 302 and review_of(round_) is not None


def test_a_progress_update_with_an_address_is_held_back_until_confirmed(client, official, final):
    page = post_update(client, final, key="addr", body="We met the family at 1417 Alder St Apt 3 to talk it over.")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and '<mark lang="en">1417 Alder St Apt 3</mark>' in text and 'href="#body"' in text
    assert db.session.scalar(select(func.count()).select_from(ActionUpdate)) == 0
    assert "1417 Alder" not in client.get(f"/rounds/{final.slug}/actions.json").get_data(as_text=True)
    assert post_update(client, final, key="addr", public_details="y",
                       body="We met the family at 1417 Alder St Apt 3 to talk it over.").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ActionUpdate)) == 1


def test_plain_public_text_needs_no_confirmation(client, official, final):
    """Roles, public officials, 311 and dates are not personal data: the usual text goes out at once."""
    assert post_update(client, final, body="Chief Alvarez and the 311 team trained 40 dispatchers by March 3.").status_code == 302


# ---- what was published before: found and taken out of everything at once -------------------------

PHONE_PLAN = {"what_we_will_do": "Officer Dana Whitfield will call residents back from 555-201-3344."}


@pytest.fixture
def published_with_phone(client, official, round_):
    """A phone number confirmed as public by mistake: in the draft, the review's actions, the final
    version, a progress update and an email waiting to be sent."""
    save(client, round_, community_trust=PHONE_PLAN)
    client.post(f"/reports/{round_.slug}/review", data={
        "closes_on": (utcnow().date() + timedelta(days=14)).isoformat(), "public_details": "y"})
    client.post(f"/reports/{round_.slug}/publish", data={
        "change_note": "Final plan.", "version": len(services.versions(round_)) + 1, "public_details": "y"})
    db.session.add(ActionFollow(response_id=action_id(round_), email="follower@example.org", token="t-1", confirmed_at=utcnow()))
    db.session.commit()
    assert post_update(client, round_, public_details="y", body="The Whitfield family was called back from 555-201-3344.").status_code == 302
    db.session.expire_all()
    return round_


def public_texts(client, round_) -> str:
    review = review_of(round_)
    pages = [f"/rounds/{round_.slug}/report", f"/rounds/{round_.slug}/report/v1", f"/rounds/{round_.slug}/actions",
             f"/rounds/{round_.slug}/actions.json", f"/rounds/{round_.slug}/report/report.json",
             f"/api/v1/rounds/{round_.slug}/reports", f"/rounds/{review.slug}/sections/2"]
    return "\n".join(client.get(page).get_data(as_text=True) for page in pages)


def test_personal_data_already_published_is_listed_and_taken_out_of_everything(client, official, published_with_phone):
    round_ = published_with_phone
    home = client.get("/staff/").get_data(as_text=True)
    assert "in its published text look like personal data" in home and f"/reports/{round_.slug}/published-text" in home
    page = client.get(f"/reports/{round_.slug}/published-text").get_data(as_text=True)
    assert "<mark>555-201-3344</mark>" in page and "<mark>Dana Whitfield</mark>" in page
    assert "Version 2: Community trust and engagement, What we will do" in page and "Progress update of" in page
    assert "555-201-3344" in public_texts(client, round_)
    unsent = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "follower@example.org"))
    assert unsent.sent_at is None and "555-201-3344" in unsent.body

    response = client.post(f"/reports/{round_.slug}/published-text",
                           data={"found": ["555-201-3344", "Dana Whitfield"], "other": "The Whitfield family"})
    assert response.status_code == 302
    db.session.expire_all()
    public = public_texts(client, round_)
    assert "555-201-3344" not in public and "Dana Whitfield" not in public and "Whitfield family" not in public
    assert "[removed]" in public and "Personal data was removed from the city&#39;s text." in public
    assert all(v.amended_at is not None for v in services.versions(round_))
    assert "555-201-3344" not in services.responses(round_)["community_trust"].what_we_will_do  # no later version brings it back
    assert "555-201-3344" not in db.session.get(OutboxMessage, unsent.id).body
    [entry] = db.session.scalars(select(ModerationLogEntry).where(ModerationLogEntry.action == "redact_published")).all()
    assert entry.round_id == round_.id and entry.moderator_id == official.id and "555" not in entry.note and "version 2" in entry.note
    assert "look like personal data" not in client.get("/staff/").get_data(as_text=True)
    assert privacy.published_findings(round_) == []


@pytest.mark.parametrize("other, message", [
    ("ab", "Line 1 is too short"),
    ("Officer Dana Whitfield\nsomeone we never named", "Line 2 (“someone we never named”) is not in anything published"),
])
def test_text_to_remove_that_is_not_published_is_refused_with_its_line_and_nothing_changes(
        client, official, published_with_phone, other, message):
    round_ = published_with_phone
    response = client.post(f"/reports/{round_.slug}/published-text", data={"other": other})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert "555-201-3344" in public_texts(client, round_) and all(v.amended_at is None for v in services.versions(round_))


def test_only_officials_take_text_out_and_the_command_lists_what_is_left(app, client, auth, published_with_phone, make_user):
    round_ = published_with_phone
    result = app.test_cli_runner().invoke(args=["check-published"])
    assert result.exit_code == 1
    assert f"{round_.slug}: Version 2: Community trust and engagement, What we will do: a phone number: 555-201-3344" in result.output
    auth.logout()
    auth.login(make_user(email="mod-only@example.org", roles=["moderator"]))
    assert client.get(f"/reports/{round_.slug}/published-text").status_code == 403
    assert "published text" not in client.get("/staff/").get_data(as_text=True)
