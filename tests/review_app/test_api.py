"""The read-only JSON API: public rounds and their published comments only."""

import pytest

from review_app.comments.models import CommentContact
from review_app.extensions import db


def test_rounds_lists_public_rounds_with_counts(client, make_round, make_comment):
    open_round = make_round(slug="open-one")
    make_round(slug="secret", status="draft")
    make_comment(open_round)
    make_comment(open_round, status="pending")
    body = client.get("/api/v1/rounds").get_json()
    assert [r["slug"] for r in body["rounds"]] == ["open-one"]
    assert body["rounds"][0]["published_comment_count"] == 1


def test_a_round_with_its_sections_and_drafts_are_404_json(client, make_round):
    round_ = make_round(sections=2)
    body = client.get(f"/api/v1/rounds/{round_.slug}").get_json()
    assert [s["number"] for s in body["sections"]] == ["1", "2"]
    draft = make_round(status="draft")
    response = client.get(f"/api/v1/rounds/{draft.slug}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_comments_are_published_only_paginated_in_a_stable_order_without_private_fields(client, make_round, make_comment, make_user):
    round_ = make_round()
    author = make_user(email="private@example.org", display_name="Shown Name")
    published = [make_comment(round_, body=f"c{i}", author_id=author.id) for i in range(5)]
    for status in ("pending", "hidden", "rejected"):
        make_comment(round_, body=f"secret {status}", status=status)
    db.session.add(CommentContact(comment_id=published[0].id, email="hear-back@example.org"))
    db.session.commit()

    first = client.get(f"/api/v1/rounds/{round_.slug}/comments?per_page=2").get_json()
    assert [c["body"] for c in first["comments"]] == ["c0", "c1"]
    assert first["pagination"]["total"] == 5 and first["pagination"]["prev"] is None
    last = client.get(f"/api/v1/rounds/{round_.slug}/comments?per_page=2&page=3").get_json()
    assert [c["body"] for c in last["comments"]] == ["c4"] and last["pagination"]["next"] is None
    raw = client.get(f"/api/v1/rounds/{round_.slug}/comments?per_page=100").get_data(as_text=True)
    for private in ("secret", "private@example.org", "hear-back@example.org", "author_id", "email", "receipt", "idempotency"):
        assert private not in raw
    assert first["comments"][0]["display_name"] == "Shown Name"


@pytest.mark.parametrize("query", ["per_page=0", "per_page=101", "per_page=abc", "page=0", "page=-1", "per_page=<script>"])
def test_bad_paging_parameters_are_400_json_naming_the_field(client, make_round, query):
    round_ = make_round()
    response = client.get(f"/api/v1/rounds/{round_.slug}/comments?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == query.split("=")[0] and error["code"] == "bad_request"
    assert "<script>" not in response.get_data(as_text=True)


def test_read_responses_carry_an_etag_and_answer_304(client, make_round):
    round_ = make_round()
    first = client.get(f"/api/v1/rounds/{round_.slug}")
    assert first.headers["ETag"]
    again = client.get(f"/api/v1/rounds/{round_.slug}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_comments_filter_by_section_theme_stance_and_date(client, make_round, make_comment):
    from review_app.analysis.models import CommentAnalysis

    round_ = make_round(sections=2)
    a = make_comment(round_, body="on one", section_id=round_.sections[0].id, stance="support")
    make_comment(round_, body="on two", section_id=round_.sections[1].id, stance="oppose")
    db.session.add(CommentAnalysis(comment_id=a.id, themes=["use_of_force"], model_version="t"))
    db.session.commit()

    def bodies(query):
        return [c["body"] for c in client.get(f"/api/v1/rounds/{round_.slug}/comments?{query}").get_json()["comments"]]

    assert bodies("section=1") == ["on one"]
    assert bodies("theme=use_of_force") == ["on one"]
    assert bodies("stance=oppose") == ["on two"]
    assert bodies("since=2000-01-01&until=2999-12-31") == ["on one", "on two"]
    assert bodies("until=2000-01-01") == []
    assert bodies("section=9") == []
    for bad in ("theme=nope", "stance=angry", "since=yesterday"):
        response = client.get(f"/api/v1/rounds/{round_.slug}/comments?{bad}")
        assert response.status_code == 400 and response.get_json()["error"]["field"] == bad.split("=")[0]
