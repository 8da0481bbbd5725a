"""Visitors get cached fragments of round pages, never older than the grace period allows."""

import re
import time
from datetime import timedelta

import pytest
from flask import template_rendered

from review_app import fragment_cache
from review_app.accounts.models import User
from review_app.analysis.models import Campaign
from review_app.comments import services as comment_services
from review_app.extensions import cache, db
from review_app.moderation import services as moderation
from review_app.reports import services as reports

from .test_query_counts import counted_queries


def comment_list_queries(client, url) -> int:
    """How many queries of the page read comments in pages (the list of threads)."""
    db.session.expire_all()
    with counted_queries() as statements:
        assert client.get(url).status_code == 200
    return sum(1 for s in statements if "FROM comments" in s and "LIMIT" in s)


def test_a_second_visitor_gets_the_list_of_threads_without_querying_it(client, make_round, make_comment):
    round_ = make_round()
    make_comment(round_, body="Crisis teams should answer mental-health calls.")
    url = f"/rounds/{round_.slug}"
    assert comment_list_queries(client, url) == 1
    assert comment_list_queries(client, url) == 0
    assert "Crisis teams should answer" in client.get(url).text
    # Another page, sort or section is another fragment.
    assert comment_list_queries(client, url + "?sort=supported") == 1
    assert comment_list_queries(client, f"/rounds/{round_.slug}/sections/1") == 1


def make_change(change: str, round_, comment, author, make_user) -> str:
    """Make a change a visitor could see, to the round or to `comment` (written by `author`); the
    text that shows it."""
    moderator = make_user(roles=["moderator"])
    if change in ("new comment", "new reply"):
        comment_services.submit_comment(round_, make_user(), comment_services.Submission(
            body="Fund the civilian crisis team first.", idempotency_key="k1", section_id=comment.section_id,
            parent_id=comment.id if change == "new reply" else None))
        expected = "Fund the civilian crisis team first."
    elif change == "hidden":
        moderation.decide(comment, moderator, "hide", "off_topic")
        expected = "hidden by moderators"
    elif change == "redacted":
        moderation.redact(comment, moderator, "Publish [removed] footage within 30 days.")
        expected = "Publish [removed] footage"
    elif change == "supported":
        comment_services.support(comment, make_user())
        expected = "1 resident said this matters to them"
    elif change == "section renamed":
        round_.sections[0].heading = "Footage release timelines"
        expected = "Footage release timelines"
    elif change == "section renumbered":
        round_.sections[0].number = "12"
        expected = "section 12"
    elif change == "author renamed":
        author.display_name = "Dana W."
        expected = "Dana W."
    elif change == "round renamed":
        round_.title = "Body cameras, second draft"
        expected = "Body cameras, second draft"
    else:
        round_.moderation_mode = "pre"
        expected = "A moderator reads every comment before it is published."
    db.session.commit()
    return expected


@pytest.mark.parametrize("change", ["new comment", "hidden", "redacted", "supported", "section renamed",
                                    "author renamed", "round setting"])
def test_every_change_a_visitor_could_see_shows_at_once(change, client, make_round, make_comment, make_user):
    round_ = make_round()
    author = make_user(display_name="Dana Whitfield")
    comment = make_comment(round_, body="Publish body-camera footage within 30 days.", author_id=author.id,
                           section_id=round_.sections[0].id)
    url = f"/rounds/{round_.slug}"
    before = client.get(url).text
    assert "Publish body-camera footage" in before and "Dana Whitfield" in before
    expected = make_change(change, round_, comment, author, make_user)
    assert expected not in before
    assert expected in client.get(url).text


THREAD_PAGE_CHANGES = ["new reply", "hidden", "redacted", "supported", "section renumbered", "author renamed",
                       "round renamed", "round setting"]
SECTION_PAGE_CHANGES = ["new comment", "new reply", "hidden", "redacted", "supported", "section renamed",
                        "author renamed", "round renamed", "round setting"]


@pytest.mark.parametrize("page, change", [("thread", c) for c in THREAD_PAGE_CHANGES]
                         + [("section", c) for c in SECTION_PAGE_CHANGES])
def test_every_change_to_a_thread_shows_on_its_pages_at_once(page, change, client, make_round, make_comment, make_user):
    """Changes to a reply in the thread (its first comment's page and its section's page show it)
    and to the round."""
    round_, author = make_round(), make_user(display_name="Dana Whitfield")
    root = make_comment(round_, body="Crisis teams should answer mental-health calls.", section_id=round_.sections[0].id)
    reply = make_comment(round_, body="Publish body-camera footage within 30 days.", parent=root, author_id=author.id)
    url = f"/rounds/{round_.slug}/comments/{root.id}" if page == "thread" else f"/rounds/{round_.slug}/sections/1"
    before = client.get(url).text
    assert "Publish body-camera footage" in before and "Dana Whitfield" in before
    expected = make_change(change, round_, reply, author, make_user)
    assert expected not in before
    assert expected in client.get(url).text


def test_a_thread_page_stays_cached_while_other_threads_change(app, client, make_round, make_comment, make_user):
    round_ = make_round()
    root, other = make_comment(round_, body="Crisis teams should answer mental-health calls."), make_comment(round_)
    url = f"/rounds/{round_.slug}/comments/{root.id}"
    page_work(app, client, url)
    make_comment(round_, body="A reply elsewhere.", parent=other)
    comment_services.support(other, make_user())
    make_comment(round_, body="A new thread.")
    assert page_work(app, client, url) == (2, [])  # the round's and the thread's versions; nothing rendered
    assert page_work(app, client, f"/rounds/{round_.slug}")[1] != []  # the round page shows them: rendered anew
    make_comment(round_, body="A reply here.", parent=root)
    assert "A reply here." in client.get(url).text


def test_a_section_page_stays_cached_while_other_sections_change(app, client, make_round, make_comment, make_user):
    round_ = make_round()
    first, second = round_.sections[0], round_.sections[1]
    root = make_comment(round_, body="Crisis teams should answer mental-health calls.", section_id=first.id)
    elsewhere = make_comment(round_, section_id=second.id)
    url = f"/rounds/{round_.slug}/sections/1"
    page_work(app, client, url)
    make_comment(round_, body="A reply elsewhere.", parent=elsewhere)
    comment_services.support(elsewhere, make_user())
    make_comment(round_, body="A new thread on the whole policy.")
    make_comment(round_, body="A new thread on section 2.", section_id=second.id)
    assert page_work(app, client, url) == (2, [])  # the round's and the section's versions; nothing rendered
    assert page_work(app, client, f"/rounds/{round_.slug}/sections/2")[1] != []  # shows them: rendered anew
    make_comment(round_, body="A reply here.", parent=root)
    assert "A reply here." in client.get(url).text
    make_comment(round_, body="A new thread here.", section_id=first.id)
    assert "A new thread here." in client.get(url).text


def test_a_new_thread_moves_the_rounds_version_once(make_round, make_user):
    round_ = make_round()
    version = round_.content_version
    with counted_queries() as statements:
        comment = comment_services.submit_comment(round_, make_user(), comment_services.Submission(
            body="Fund the civilian crisis team before cutting patrols.", idempotency_key="k4"))
    # Stored unseen (checking for personal data), then published by the check: one visible change.
    assert comment.status == "published"
    assert round_.content_version == version + 1 and comment.thread_version == 1
    # The thread's id, its publication, and the round's and the thread's versions.
    assert sum(1 for s in statements if s.startswith("UPDATE")) == 4


def test_a_visitor_finds_no_thread_that_is_not_public(client, make_round, make_comment):
    round_, elsewhere = make_round(), make_round()
    pending, other_rounds = make_comment(round_, status="pending"), make_comment(elsewhere)
    for comment_id in (pending.id, other_rounds.id, 99999):
        for _ in range(2):  # the second time with the round's version known
            assert client.get(f"/rounds/{round_.slug}/comments/{comment_id}").status_code == 404


def test_changes_no_visitor_sees_keep_the_cache(client, make_round, make_comment):
    round_ = make_round()
    comment = make_comment(round_)
    version = round_.content_version
    campaign = Campaign(round_id=round_.id, first_comment_id=comment.id)
    db.session.add(campaign)
    db.session.flush()
    comment.campaign_id = campaign.id  # what campaign detection writes on every copy of a letter
    db.session.commit()
    assert round_.content_version == version
    # A comment awaiting moderation shows nowhere yet either.
    make_comment(round_, status="pending")
    assert round_.content_version == version
    make_comment(round_, status="published")
    assert round_.content_version == version + 1


def test_signed_in_residents_see_their_own_pending_comment_and_visitors_never_do(client, auth, make_round, make_user):
    round_ = make_round(moderation_mode="pre")
    url = f"/rounds/{round_.slug}"
    client.get(url)  # a visitor's view fills the cache
    author = make_user()
    comment_services.submit_comment(round_, author, comment_services.Submission(
        body="Keep officers out of elementary schools.", idempotency_key="k2"))
    auth.login(author)
    assert "Keep officers out of elementary schools." in client.get(url).text
    auth.logout()
    assert "Keep officers out of elementary schools." not in client.get(url).text


def test_each_language_has_its_own_fragments(client, make_round, make_comment):
    round_ = make_round()
    make_comment(round_, support_count=2)
    url = f"/rounds/{round_.slug}"
    assert "2 residents said this matters to them" in client.get(url).text
    spanish = client.get(url, headers={"Accept-Language": "es"}).text
    assert "2 residents said" not in spanish and "Ordenar:" in spanish


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


def test_each_view_of_a_cached_form_has_its_own_token_and_key_and_can_be_sent(csrf_on, client, make_round):
    round_ = make_round()
    url = f"/rounds/{round_.slug}"
    first, second = client.get(url).text, client.get(url).text
    key = re.compile(r'name="idempotency_key" type="hidden" value="([^"]+)"')
    assert key.search(first).group(1) != key.search(second).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', second).group(1)
    response = client.post(f"{url}/comments", data={
        "csrf_token": token, "idempotency_key": key.search(second).group(1), "body": "Sent from a cached form.",
        "stance": "support", "section_id": "", "parent_id": "", "origin": "round"})
    assert response.status_code == 302 and "/comments/receipt/" in response.headers["Location"]


def test_a_new_report_version_replaces_the_cached_report(client, make_round, make_user):
    round_ = make_round(status="closed")
    official = make_user(roles=["official"])
    reports.publish(round_, official, "")
    url = f"/rounds/{round_.slug}/report"
    assert "Version 1" in client.get(url).text
    reports.publish(round_, official, "Added the budget figures.")
    page = client.get(url).text
    assert "Version 2" in page and "Added the budget figures." in page


def test_pages_still_render_when_the_cache_server_is_down(app, client, make_round, make_comment, caplog):
    cache.init_app(app, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:1/0"})  # nothing listens
    round_ = make_round()
    make_comment(round_, body="Still readable without the cache.")
    response = client.get(f"/rounds/{round_.slug}")
    assert response.status_code == 200 and "Still readable without the cache." in response.text
    assert "cache unavailable" in caplog.text


def test_renaming_an_author_bumps_only_the_rounds_they_commented_on(make_round, make_comment, make_user):
    commented, other = make_round(), make_round()
    author = make_user()
    make_comment(commented, author_id=author.id)
    before = (commented.content_version, other.content_version)
    db.session.get(User, author.id).display_name = "New name"
    db.session.commit()
    assert (commented.content_version, other.content_version) == (before[0] + 1, before[1])


def test_while_comments_pour_in_a_list_may_lag_by_the_grace_period_and_no_more(app, client, make_round, make_comment,
                                                                              monkeypatch):
    app.config["FRAGMENT_GRACE"] = 2
    round_ = make_round()
    make_comment(round_, body="The first comment.")
    url = f"/rounds/{round_.slug}"
    assert "The first comment." in client.get(url).text
    make_comment(round_, body="A comment sent a moment later.")
    assert "A comment sent a moment later." not in client.get(url).text  # the list rendered under 2 s ago
    in_three_seconds = time.time() + 3
    monkeypatch.setattr(fragment_cache.time, "time", lambda: in_three_seconds)
    assert "A comment sent a moment later." in client.get(url).text


def test_while_one_request_renders_a_new_version_the_others_get_the_old_page(app, client, make_round, make_comment,
                                                                              monkeypatch):
    round_ = make_round()
    make_comment(round_, body="The first comment.")
    url = f"/rounds/{round_.slug}"
    assert "The first comment." in client.get(url).text
    make_comment(round_, body="A comment sent a moment later.")
    with monkeypatch.context() as patched:
        patched.setattr(cache, "add", lambda *args, **kwargs: False)  # another request holds the render
        queries, rendered = page_work(app, client, url)
        assert rendered == [] and "A comment sent a moment later." not in client.get(url).text
    assert "A comment sent a moment later." in client.get(url).text  # the next one renders it
    stored = app.extensions["cache"][cache]._cache
    assert not [key for key in stored if key.endswith(":rendering")]  # and lets go of the render


def test_what_a_visitor_puts_in_the_address_does_not_fill_the_cache(app, client, make_round, make_comment):
    round_ = make_round()
    root = make_comment(round_)
    cached = app.extensions["cache"][cache]
    client.get(f"/rounds/{round_.slug}/comments/{root.id}")
    entries = len(cached._cache)
    for n in range(5):  # replying to any number, or asking for any page far down
        page = client.get(f"/rounds/{round_.slug}/comments/{root.id}?reply_to={1000 + n}").text
        assert f'name="parent_id" type="hidden" value="{1000 + n}"' in page
        client.get(f"/rounds/{round_.slug}?page={500 + n}")
    assert len(cached._cache) == entries + 2  # the round page's overview and form, once


def page_work(app, client, url) -> tuple[int, list[str]]:
    """The queries run and templates rendered to answer a GET."""
    db.session.expire_all()
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    with counted_queries() as statements, template_rendered.connected_to(record, app):
        assert client.get(url).status_code == 200
    return len(statements), rendered


@pytest.mark.parametrize("path", ["", "/sections/1", "/comments/{root}", "?sort=supported&page=1"])
def test_a_visitor_gets_the_whole_page_from_the_cache_after_one_lookup(path, app, client, make_round, make_comment):
    round_ = make_round()
    root = make_comment(round_, body="Crisis teams should answer mental-health calls.", section_id=round_.sections[0].id)
    url = f"/rounds/{round_.slug}" + path.format(root=root.id)
    queries, rendered = page_work(app, client, url)
    assert queries > 1 and rendered
    # Then the round's version only (a thread's is read again only once the round's has moved):
    # no template, not even the layout, and no form.
    assert page_work(app, client, url) == (1, [])
    assert "Crisis teams should answer" in client.get(url).text


def test_within_the_grace_period_a_visitors_page_needs_no_query_at_all(app, client, make_round, make_comment):
    app.config["FRAGMENT_GRACE"] = 2
    round_, draft = make_round(), make_round(status="draft")
    make_comment(round_, body="Crisis teams should answer mental-health calls.")
    url = f"/rounds/{round_.slug}"
    page_work(app, client, url)
    assert page_work(app, client, url) == (0, [])  # the round's version was read under 2 s ago
    for _ in range(2):  # a draft round or an unknown one stays unknown to visitors
        assert client.get(f"/rounds/{draft.slug}").status_code == 404
        assert client.get("/rounds/no-such-round").status_code == 404


def test_a_visitor_gets_the_whole_report_page_from_the_cache(app, client, make_round, make_user):
    round_ = make_round(status="closed")
    reports.publish(round_, make_user(roles=["official"]), "")
    url = f"/rounds/{round_.slug}/report"
    assert sorted(page_work(app, client, url)[1]) == ["reports/_public_body.html", "reports/public.html"]
    assert page_work(app, client, url) == (1, [])


@pytest.mark.parametrize("own", ["draft", "message"])
def test_a_visitor_with_a_message_or_a_draft_gets_their_own_page(own, app, make_round):
    round_ = make_round()
    url = f"/rounds/{round_.slug}"
    someone, visitor = app.test_client(), app.test_client()
    someone.get(url)  # the shared page is cached
    with visitor.session_transaction() as session:
        if own == "draft":
            session["comment_drafts"] = {round_.slug: "My half-written comment about patrols."}
        else:
            session["_flashes"] = [("info", "Sign in to comment on this review.")]
    text = "My half-written comment about patrols." if own == "draft" else "Sign in to comment on this review."
    assert text in visitor.get(url).text
    assert text not in someone.get(url).text


def test_only_everyday_addresses_are_cached_whole(app, client, make_round):
    round_ = make_round()
    cached = app.extensions["cache"][cache]

    def pages() -> int:
        return sum(":page:" in key for key in cached._cache)

    client.get(f"/rounds/{round_.slug}?sort=supported")
    assert pages() == 1
    for query in ("?sort=supported&sort=newest", "?page=01", "?page=500", "?utm_source=mail", "?sort=%73upported"):
        assert client.get(f"/rounds/{round_.slug}{query}").status_code == 200
    assert pages() == 1


def test_a_cached_page_closes_with_its_round_at_the_set_time(app, client, make_round, monkeypatch):
    from review_app.rounds import models as round_models
    from review_app.timeutil import utcnow

    app.config["FRAGMENT_GRACE"] = 60  # nothing about the round changes in the database meanwhile
    round_ = make_round(closes_at=utcnow() + timedelta(hours=1))
    url = f"/rounds/{round_.slug}"
    assert "This review is closed" not in client.get(url).text
    assert "This review is closed" not in client.get(url).text  # from the cache
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(round_models, "utcnow", lambda: later)
    assert "This review is closed and takes no more comments." in client.get(url).text
