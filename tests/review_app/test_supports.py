"""One support per resident per comment, counted atomically."""

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from review_app.comments.models import Comment, Support
from review_app.extensions import db


@pytest.fixture
def comment(make_round, make_comment):
    return make_comment(make_round())


def supports_of(comment):
    return db.session.scalar(select(func.count()).select_from(Support).where(Support.comment_id == comment.id))


def test_support_counts_once_and_can_be_withdrawn(client, comment, make_user, auth):
    auth.login(make_user())
    client.post(f"/comments/{comment.id}/support")
    again = client.post(f"/comments/{comment.id}/support", follow_redirects=True)
    assert b"You already support this comment" in again.data
    db.session.refresh(comment)
    assert comment.support_count == supports_of(comment) == 1
    client.post(f"/comments/{comment.id}/unsupport")
    client.post(f"/comments/{comment.id}/unsupport")
    db.session.refresh(comment)
    assert comment.support_count == supports_of(comment) == 0


def test_many_residents_add_up(app, comment, make_user):
    from tests.conftest import TEST_PASSWORD

    for _ in range(3):
        browser = app.test_client()
        user = make_user()
        browser.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
        browser.post(f"/comments/{comment.id}/support")
    db.session.refresh(comment)
    assert comment.support_count == 3


def test_the_database_refuses_a_second_support_row(comment, make_user):
    user = make_user()
    db.session.execute(insert(Support).values(comment_id=comment.id, user_id=user.id))
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Support).values(comment_id=comment.id, user_id=user.id))
    db.session.rollback()


def test_own_comments_and_unpublished_comments_cannot_be_supported(client, make_round, make_comment, make_user, auth):
    user = make_user()
    round_ = make_round()
    own = make_comment(round_, author_id=user.id)
    pending = make_comment(round_, status="pending")
    auth.login(user)
    response = client.post(f"/comments/{own.id}/support", follow_redirects=True)
    assert b"cannot support your own comment" in response.data
    assert client.post(f"/comments/{pending.id}/support").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Support)) == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, comment):
    response = client.post(f"/comments/{comment.id}/support")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert db.session.get(Comment, comment.id).support_count == 0
