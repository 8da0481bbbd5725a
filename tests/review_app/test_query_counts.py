"""Pages load in a fixed number of queries however many threads and replies they show."""

from contextlib import contextmanager

from sqlalchemy import event

from review_app.extensions import db


@contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def add_threads(round_, make_comment, make_user, how_many):
    for _ in range(how_many):
        author = make_user()
        top = make_comment(round_, author_id=author.id, section_id=round_.sections[0].id)
        top.thread_id = top.id
        reply = make_comment(round_, parent=top, author_id=author.id)
        make_comment(round_, parent=reply, display_name="Anon")
    db.session.commit()


def queries_for(client, url):
    db.session.expire_all()
    with counted_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_round_page_queries_do_not_grow_with_threads(app, client, make_round, make_comment, make_user, auth):
    app.config["COMMENTS_PER_PAGE"] = 100
    auth.login(make_user())
    small, large = make_round(), make_round()
    add_threads(small, make_comment, make_user, 3)
    add_threads(large, make_comment, make_user, 30)
    for view in ("", "?sort=supported", "?sort=section"):
        assert queries_for(client, f"/rounds/{small.slug}{view}") == queries_for(client, f"/rounds/{large.slug}{view}")


def test_thread_page_queries_do_not_grow_with_replies(client, make_round, make_comment, make_user):
    round_ = make_round()
    short = make_comment(round_)
    long = make_comment(round_)
    for root, replies in ((short, 1), (long, 20)):
        root.thread_id = root.id
        for _ in range(replies):
            make_comment(round_, parent=root, author_id=make_user().id)
    db.session.commit()
    assert queries_for(client, f"/rounds/{round_.slug}/comments/{short.id}") == queries_for(
        client, f"/rounds/{round_.slug}/comments/{long.id}"
    )
