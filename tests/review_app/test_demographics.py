"""Optional questions about the resident, once per round, never shown beside a comment."""

from sqlalchemy import select

from review_app.comments.models import DemographicAnswer
from review_app.extensions import db


def test_answers_are_saved_once_and_updated(client, make_round, make_user, auth):
    round_ = make_round()
    user = make_user()
    auth.login(user)
    page = client.get(f"/rounds/{round_.slug}/about-you")
    assert b"Northside" in page.data and b"Prefer not to say" in page.data
    client.post(f"/rounds/{round_.slug}/about-you", data={"district": "Northside", "age_band": "25-34", "relationship_to_city": "work"})
    client.post(f"/rounds/{round_.slug}/about-you", data={"district": "Riverside", "age_band": "", "relationship_to_city": "work"})
    [answer] = db.session.scalars(select(DemographicAnswer)).all()
    assert (answer.user_id, answer.district, answer.age_band, answer.relationship_to_city) == (user.id, "Riverside", None, "work")


def test_answers_outside_the_lists_are_refused(client, make_round, make_user, auth):
    round_ = make_round()
    auth.login(make_user())
    response = client.post(f"/rounds/{round_.slug}/about-you", data={"district": "Atlantis", "age_band": "<script>"})
    assert response.status_code == 422
    assert db.session.scalars(select(DemographicAnswer)).all() == []


def test_answers_never_appear_next_to_comments(client, make_round, make_user, auth, make_comment):
    round_ = make_round(districts=["Quietvale"])
    user = make_user()
    make_comment(round_, author_id=user.id, body="My view")
    auth.login(user)
    client.post(f"/rounds/{round_.slug}/about-you", data={"district": "Quietvale", "age_band": "65 or older"})
    for url in (f"/rounds/{round_.slug}", f"/api/v1/rounds/{round_.slug}/comments", "/my/comments"):
        body = client.get(url).data
        assert b"My view" in body
        assert b"65 or older" not in body
        assert body.count(b"Quietvale") == 0


def test_signed_out_visitors_are_asked_to_sign_in(client, make_round):
    round_ = make_round()
    assert client.get(f"/rounds/{round_.slug}/about-you").status_code == 302
