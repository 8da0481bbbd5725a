"""Comment intake through the API: tokens, scopes, idempotency, validation and the same rules as the web."""

import pytest
from sqlalchemy import func, select

from review_app.api.models import ApiToken
from review_app.comments.models import Comment, CommentContact
from review_app.extensions import db


@pytest.fixture
def token(app):
    token, secret = ApiToken.issue("Paper forms", [], None)
    db.session.add(token)
    db.session.commit()
    return secret


def post(client, round_, secret, body=None, key="k-1", **headers):
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": key, **headers}
    if key is None:
        headers.pop("Idempotency-Key")
    return client.post(f"/api/v1/rounds/{round_.slug}/comments", json=body or {"body": "Typed in from a paper form.", "channel": "paper"},
                       headers=headers)


def count():
    return db.session.scalar(select(func.count()).select_from(Comment))


def test_a_token_submits_a_comment_with_its_channel_and_a_retry_creates_nothing(client, make_round, token):
    round_ = make_round(allow_anonymous=False)  # paper comments are typed in by staff for residents
    first = post(client, round_, token, {"body": "Paper comment", "channel": "paper", "section": "2",
                                         "stance": "oppose", "email": "Rosa@Example.org"})
    assert first.status_code == 201
    comment = first.get_json()["comment"]
    assert (comment["channel"], comment["section"], comment["declared_stance"]) == ("paper", "2", "oppose")
    assert "email" not in first.get_data(as_text=True).lower().replace('"email"', "")
    retry = post(client, round_, token, {"body": "Paper comment", "channel": "paper", "section": "2",
                                         "stance": "oppose", "email": "Rosa@Example.org"})
    assert retry.status_code == 200 and retry.get_json()["comment"]["id"] == comment["id"]
    assert count() == 1
    assert db.session.scalar(select(CommentContact)).email == "rosa@example.org"
    reused = post(client, round_, token, {"body": "Something else", "channel": "paper"})
    assert reused.status_code == 409 and reused.get_json()["error"]["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    "secret, status",
    [(None, 401), ("crt_not-a-real-token", 401)],
)
def test_missing_or_unknown_tokens_are_401(client, make_round, secret, status):
    round_ = make_round()
    headers = {"Idempotency-Key": "k"} | ({"Authorization": f"Bearer {secret}"} if secret else {})
    response = client.post(f"/api/v1/rounds/{round_.slug}/comments", json={"body": "x", "channel": "sms"}, headers=headers)
    assert response.status_code == status and response.get_json()["error"]["code"] == "unauthorized"
    assert count() == 0


def test_revoked_and_out_of_scope_tokens_are_refused(client, make_round, make_user, auth):
    round_, other = make_round(), make_round()
    scoped, secret = ApiToken.issue("Kiosk", [other.slug], None)
    db.session.add(scoped)
    db.session.commit()
    assert post(client, round_, secret).status_code == 403
    assert post(client, other, secret).status_code == 201
    auth.login(make_user(roles=["admin"]))
    client.post(f"/admin/api-tokens/{scoped.id}/revoke")
    assert post(client, other, secret, key="k-2").status_code == 401
    assert count() == 1


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"channel": "paper"}, 422, "body"),
        ({"body": "   ", "channel": "paper"}, 422, "body"),
        ({"body": "x" * 5001, "channel": "paper"}, 422, "body"),
        ({"body": "ok", "channel": "fax"}, 422, "channel"),
        ({"body": "ok", "channel": "sms", "stance": "angry"}, 422, "stance"),
        ({"body": "ok", "channel": "sms", "section": "99"}, 422, "section"),
        ({"body": "ok", "channel": "sms", "email": "not-an-email"}, 422, "email"),
        ({"body": 5, "channel": "sms"}, 422, "body"),
        (["not", "an", "object"], 400, None),
    ],
)
def test_bad_fields_are_named(client, make_round, token, body, status, field):
    response = post(client, make_round(), token, body)
    assert response.status_code == status
    assert response.get_json()["error"]["field"] == field
    assert count() == 0


def test_the_idempotency_key_is_required(client, make_round, token):
    response = post(client, make_round(), token, key=None)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "Idempotency-Key"


def test_closed_rounds_take_no_comments_and_pre_moderated_ones_stay_private(client, make_round, token):
    closed = make_round(status="closed")
    response = post(client, closed, token)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "round_closed"
    pre = make_round(moderation_mode="pre")
    created = post(client, pre, token, key="k-pre").get_json()["comment"]
    assert created["status"] == "pending"
    assert client.get(f"/api/v1/rounds/{pre.slug}/comments").get_json()["comments"] == []
    assert count() == 1


def test_huge_bodies_are_413_json(client, make_round, token):
    response = post(client, make_round(), token, {"body": "x" * 300_000, "channel": "paper"})
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"


def test_admins_create_tokens_shown_once_and_stored_hashed(client, make_user, auth, make_round):
    round_ = make_round()
    auth.login(make_user(roles=["admin"]))
    page = client.post("/admin/api-tokens/", data={"name": "SMS gateway", "rounds": round_.slug}).get_data(as_text=True)
    secret = page.split("<code>")[1].split("</code>")[0]
    stored = db.session.scalar(select(ApiToken))
    assert secret.startswith("crt_") and secret not in (stored.token_hash, stored.name)
    assert stored.round_slugs == [round_.slug]
    assert secret not in client.get("/admin/api-tokens/").get_data(as_text=True)
    refused = client.post("/admin/api-tokens/", data={"name": "x", "rounds": "no-such-round"})
    assert refused.status_code == 422 and b"No round has the slug no-such-round" in refused.data


class TestTokenLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_submissions_are_limited_per_token_with_retry_after(self, client, make_round, token):
        round_ = make_round()
        statuses = [post(client, round_, token, {"body": f"c{i}", "channel": "paper"}, key=f"k{i}").status_code for i in range(61)]
        assert statuses[:60] == [201] * 60
        last = post(client, round_, token, {"body": "one more", "channel": "paper"}, key="k-last")
        assert last.status_code == 429 and int(last.headers["Retry-After"]) > 0
        assert last.get_json()["error"]["code"] == "rate_limited"


class TestReadLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_reads_are_limited_per_address_with_retry_after(self, client):
        statuses = [client.get("/api/v1/rounds").status_code for _ in range(301)]
        assert statuses[:300] == [200] * 300 and statuses[300] == 429
        other_address = client.get("/api/v1/rounds", environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert other_address.status_code == 200
