"""Abuse resistance: limits that hold across processes and tokens, links that no Host header
can forge, expensive work done once, and keys that reach no one else's comment."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from review_app import create_app
from review_app.api.models import ApiToken
from review_app.comments.models import Comment, CommentContact, CommentStatus
from review_app.extensions import db
from review_app.reports.models import OutboxMessage, SummarySnapshot
from review_app.reports.summary import build_summary
from review_app.timeutil import utcnow

ROOT = Path(__file__).resolve().parents[2]


# ---- trusted host and public links ---------------------------------------------------------------

def test_production_refuses_to_start_without_a_public_address(database_url):
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": database_url})


class TestPublicAddress:
    @pytest.fixture
    def app_config(self):
        return {"PUBLIC_BASE_URL": "https://review.example.gov"}

    def test_a_forged_host_header_is_refused(self, client):
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
        assert client.get("/", headers={"Host": "review.example.gov"}).status_code == 200


class TestLinksFromThePublicAddress:
    @pytest.fixture
    def app_config(self):
        # An internal name the server also answers to (a health check's), which links must never use.
        return {"PUBLIC_BASE_URL": "https://review.example.gov", "TRUSTED_HOSTS": ["localhost", "review.example.gov"]}

    def test_api_links_use_the_public_address_whatever_the_host_header(self, client, make_round):
        make_round()
        rounds = client.get("/api/v1/rounds", headers={"Host": "localhost"}).get_json()["rounds"]
        assert rounds and all(r["url"].startswith("https://review.example.gov/api/v1/rounds/") for r in rounds)

    def test_report_notices_link_to_the_public_address(self, client, make_round, make_comment, make_user, auth):
        round_ = make_round(status="closed")
        db.session.add(CommentContact(comment_id=make_comment(round_).id, email="r@example.org"))
        db.session.commit()
        auth.login(make_user(roles=["official"]))
        client.post(f"/reports/{round_.slug}/publish", data={"change_note": "First publication.", "version": 1}, headers={"Host": "localhost"})
        notice = db.session.scalar(select(OutboxMessage))
        assert f"https://review.example.gov/rounds/{round_.slug}/report" in notice.body
        assert "localhost" not in notice.body


# ---- limits that hold whatever the number of processes ------------------------------------------------

def _gunicorn_settings(monkeypatch, **env):
    for name in ("REDIS_URL", "WEB_CONCURRENCY", "RATELIMIT_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_without_redis_gunicorn_runs_one_process_and_refuses_more(monkeypatch):
    settings = _gunicorn_settings(monkeypatch)
    assert settings["workers"] == 1
    settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=1)))  # starts

    settings = _gunicorn_settings(monkeypatch, WEB_CONCURRENCY="2")
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=settings["workers"])))


def test_with_redis_gunicorn_starts_a_worker_per_core_and_more(monkeypatch):
    settings = _gunicorn_settings(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert settings["workers"] >= 2
    settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=settings["workers"])))


class TestLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_made_up_api_tokens_share_their_address_limit(self, client, make_round):
        round_ = make_round()
        statuses = [client.post(f"/api/v1/rounds/{round_.slug}/comments", json={"body": "x", "channel": "paper"},
                                headers={"Authorization": f"Bearer crt_made_up_{i}", "Idempotency-Key": f"k{i}"}).status_code
                    for i in range(61)]
        assert statuses[:60] == [401] * 60 and statuses[60] == 429

    def test_a_real_token_is_counted_on_its_own(self, client, make_round):
        round_ = make_round()
        token, secret = ApiToken.issue("Kiosk", [], None)
        db.session.add(token)
        db.session.commit()
        for i in range(60):  # someone else at the same address guessing tokens
            client.post(f"/api/v1/rounds/{round_.slug}/comments", json={}, headers={"Authorization": f"Bearer nope{i}"})
        kiosk = client.post(f"/api/v1/rounds/{round_.slug}/comments", json={"body": "From the kiosk.", "channel": "kiosk"},
                            headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "kiosk-1"})
        assert kiosk.status_code == 201

    def test_supports_are_limited_per_account(self, client, make_round, make_comment, make_user, auth):
        round_ = make_round()
        comments = [make_comment(round_, body=f"Comment {i}") for i in range(21)]
        auth.login(make_user())
        statuses = [client.post(f"/comments/{c.id}/support", data={}).status_code for c in comments]
        assert statuses[:20] == [302] * 20 and statuses[20] == 429
        assert sum(c.support_count for c in db.session.scalars(select(Comment))) == 20

    def test_exports_are_limited_per_address(self, client, make_round, make_user, auth):
        round_ = make_round(status="closed")
        official = client.application.test_client()
        with official:
            official.post("/account/login", data={"email": make_user(roles=["official"]).email,
                                                  "password": "correct horse battery staple"})
            official.post(f"/reports/{round_.slug}/publish", data={"change_note": "First publication.", "version": 1})
        statuses = [client.get(f"/rounds/{round_.slug}/report/comments.csv").status_code for _ in range(11)]
        assert statuses[:10] == [200] * 10 and statuses[10] == 429


# ---- expensive work done once ------------------------------------------------------------------------------

def test_one_recount_at_a_time_the_others_get_the_stored_summary(make_round, make_comment, monkeypatch):
    import review_app.reports.summary as summary_module

    round_ = make_round()
    make_comment(round_, body="The first comment counted.")
    first = build_summary(round_)
    make_comment(round_, body="A comment that changes the count.")
    counted = []
    real = summary_module._compute_summary
    monkeypatch.setattr(summary_module, "_compute_summary", lambda r: counted.append(1) or real(r))

    # Another process has claimed the recount a moment ago: this view serves the stored count.
    db.session.get(SummarySnapshot, round_.id).recount_started_at = utcnow()
    db.session.commit()
    assert build_summary(round_) == first and counted == []

    # A claim older than a count's time has died with its process: the next view recounts.
    db.session.get(SummarySnapshot, round_.id).recount_started_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert build_summary(round_).comments == first.comments + 1 and counted == [1]
    assert db.session.get(SummarySnapshot, round_.id).recount_started_at is None


# ---- idempotency keys reach no one else's comment ----------------------------------------------------------

def test_a_form_key_cannot_reach_an_api_clients_comment(client, make_round):
    round_ = make_round()
    token, secret = ApiToken.issue("Kiosk", [], None)
    db.session.add(token)
    db.session.commit()
    client.post(f"/api/v1/rounds/{round_.slug}/comments", json={"body": "From the kiosk.", "channel": "kiosk"},
                headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "abc"})
    browser = client.application.test_client()
    answer = browser.post(f"/rounds/{round_.slug}/comments", data={"body": "Mine", "idempotency_key": f"api:{token.id}:abc"})
    assert answer.status_code == 422 and b"The form expired" in answer.data
    same_key = browser.post(f"/rounds/{round_.slug}/comments", data={"body": "Mine", "idempotency_key": "abc"})
    assert same_key.status_code == 302  # a key of its own: stored as a new comment
    assert sorted(c.body for c in db.session.scalars(select(Comment))) == ["From the kiosk.", "Mine"]


def test_another_residents_key_gives_no_receipt(client, make_round):
    round_ = make_round(allow_anonymous=True)
    first = client.post(f"/rounds/{round_.slug}/comments", data={"body": "My own words.", "idempotency_key": "k-shared"})
    receipt = first.headers["Location"]
    stranger = client.application.test_client()
    answer = stranger.post(f"/rounds/{round_.slug}/comments", data={"body": "Different words.", "idempotency_key": "k-shared"})
    assert answer.status_code == 422 and b"Different words." in answer.data  # the text comes back to be sent again
    assert stranger.get(receipt).status_code == 404
    # The same resident's double click still gets the one comment back.
    again = client.post(f"/rounds/{round_.slug}/comments", data={"body": "My own words.", "idempotency_key": "k-shared"})
    assert again.headers["Location"] == receipt


def test_a_hidden_comments_receipt_says_it_is_not_published(client, make_round, make_user, auth):
    from review_app.moderation import services as moderation

    round_ = make_round()
    resident, moderator = make_user(), make_user(roles=["moderator"])
    auth.login(resident)
    sent = client.post(f"/rounds/{round_.slug}/comments", data={"body": "A plain comment.", "idempotency_key": "k"})
    comment = db.session.scalar(select(Comment))
    moderation.decide(comment, moderator, "hide", "off_topic")
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert comment.status == CommentStatus.HIDDEN
    assert "is not published" in page and "published now" not in page


# ---- display names that disguise or impersonate ------------------------------------------------------------

@pytest.mark.parametrize("name", ["Ana\u202eztraM", "Zero\u200bWidth", "Tab\tName"])  # NUL: test_hostile_input
def test_names_with_invisible_or_direction_changing_characters_are_refused(client, name):
    page = client.post("/account/register", data={"email": "new@example.org", "display_name": name,
                                                  "password": "correct horse battery staple",
                                                  "confirm": "correct horse battery staple"})
    assert page.status_code == 422 and b"Use letters, digits, spaces and punctuation only." in page.data


@pytest.mark.parametrize("copy", ["Quentin Moderata", "quentin  MODERATA", "Ｑｕｅｎｔｉｎ Ｍｏｄｅｒａｔａ", "Quéntin Moderata",
                                  "Site Moderator", "admin"])
def test_residents_cannot_take_a_staff_members_name_or_role(client, make_round, make_user, copy):
    make_user(roles=["moderator"], display_name="Quentin Moderata")
    round_ = make_round(allow_anonymous=True)
    page = client.post(f"/rounds/{round_.slug}/comments", data={"body": "Trust me.", "display_name": copy,
                                                                 "idempotency_key": "k"})
    assert page.status_code == 422 and b"staff" in page.data
    assert db.session.scalar(select(Comment)) is None


def test_the_api_refuses_a_staff_name_too(client, make_round, make_user):
    make_user(roles=["official"], display_name="Dana Whitfield")
    round_ = make_round()
    token, secret = ApiToken.issue("Kiosk", [], None)
    db.session.add(token)
    db.session.commit()
    answer = client.post(f"/api/v1/rounds/{round_.slug}/comments",
                         json={"body": "From the kiosk.", "channel": "kiosk", "display_name": "Dana Whitfield"},
                         headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "k"})
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "display_name"


def test_staff_keep_their_own_name_and_residents_an_ordinary_one(client, make_user, auth):
    staff = make_user(roles=["moderator"], display_name="Quentin Moderata")
    auth.login(staff)
    assert client.post("/account/", data={"profile-display_name": "Quentin Moderata", "profile-submit": "1"}).status_code == 302
    auth.login(make_user(display_name="Someone"))
    assert client.post("/account/", data={"profile-display_name": "Unofficial Quentin", "profile-submit": "1"}).status_code == 302


def test_staff_comments_carry_a_staff_badge(client, make_round, make_comment, make_user):
    round_ = make_round()
    make_comment(round_, body="From the city's team.", author_id=make_user(roles=["official"], display_name="Dana W").id)
    make_comment(round_, body="From a resident.", author_id=make_user(display_name="Rosa").id)
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert page.count('<span class="usa-tag">Staff</span>') == 1
    assert 'Dana W <span class="usa-tag">Staff</span>' in page
