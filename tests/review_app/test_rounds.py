"""Public round pages: the home page, drafts kept private, the history of changes."""

from review_app.extensions import db
from review_app.rounds import services
from review_app.rounds.importer import ParsedSection


def test_home_lists_open_rounds_first_with_published_counts(client, make_round, make_comment):
    open_round = make_round(status="open", title="Open one")
    closed_round = make_round(status="closed", title="Closed one")
    make_round(status="draft", title="Secret draft")
    make_comment(open_round, status="published")
    make_comment(open_round, status="published")
    make_comment(open_round, status="pending")
    make_comment(open_round, status="rejected")
    page = client.get("/").get_data(as_text=True)
    assert page.index("Open one") < page.index("Closed one")
    assert "2 comments" in page
    assert "Secret draft" not in page
    assert closed_round.title in page


def test_drafts_are_not_found_except_by_admins(client, make_round, make_user, auth):
    draft = make_round(status="draft")
    assert client.get(f"/rounds/{draft.slug}").status_code == 404
    assert client.get(f"/rounds/{draft.slug}/changes").status_code == 404
    auth.login(make_user())
    assert client.get(f"/rounds/{draft.slug}").status_code == 404
    auth.logout()
    auth.login(make_user(roles=["admin"]))
    assert client.get(f"/rounds/{draft.slug}").status_code == 200


def test_round_title_with_markup_is_escaped_everywhere(client, make_round, make_user, auth):
    round_ = make_round(title='<img src=x onerror="alert(1)">Policy')
    for url in ("/", f"/rounds/{round_.slug}", f"/rounds/{round_.slug}/changes"):
        body = client.get(url).data
        assert b"<img src=x" not in body and b"&lt;img src=x" in body, url
    auth.login(make_user(roles=["admin"]))
    assert b"<img src=x" not in client.get("/admin/rounds/").data


def test_changes_page_shows_each_revision_with_its_note_and_diff(client, make_round, make_user):
    admin = make_user(roles=["admin"])
    round_ = make_round(status="open", sections=2)
    parts = [ParsedSection("1", "Heading 1", "Officers shall use force rarely."), ParsedSection("2", "Heading 2", "Body of section 2.")]
    services.replace_sections(round_, parts, "Clarified section 1 after residents' comments", admin.id)
    page = client.get(f"/rounds/{round_.slug}/changes").get_data(as_text=True)
    assert "Clarified section 1 after residents&#39; comments" in page
    assert "Removed: </span>Body of section 1." in page
    assert "Added: </span>Officers shall use force rarely." in page
    assert "Section 2" not in page  # unchanged sections are not listed
    assert "The text changed while it was open" in client.get(f"/rounds/{round_.slug}").get_data(as_text=True)


def test_unchanged_round_says_so(client, make_round):
    round_ = make_round()
    assert b"has not changed" in client.get(f"/rounds/{round_.slug}/changes").data


def test_home_counts_come_from_one_aggregate_query(app, make_round, make_comment):
    rounds = [make_round() for _ in range(3)]
    for round_ in rounds:
        make_comment(round_)
    from sqlalchemy import event

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        groups = services.list_rounds_for_home()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert [count for _, count in groups["open"]] == [1, 1, 1]
    assert len(statements) == 2
