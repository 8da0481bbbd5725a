"""The staff home: each role reaches its work on every round from one page."""

from review_app.extensions import db
from review_app.moderation.models import Flag
from review_app.reports.models import ReportVersion


def _waiting_round(make_round, make_comment, make_user):
    round_ = make_round(title="Crisis response budget")
    make_comment(round_, status="held")
    make_comment(round_, status="held")
    flagged = make_comment(round_)
    db.session.add(Flag(comment_id=flagged.id, user_id=make_user().id, reason="abuse"))
    db.session.commit()
    return round_


def test_moderators_see_what_waits_in_each_round_with_links_to_the_queue(client, auth, make_round, make_comment, make_user):
    round_ = _waiting_round(make_round, make_comment, make_user)
    quiet = make_round(title="Surveillance ordinance")
    auth.login(make_user(roles=["moderator"]))
    page = client.get("/staff/").get_data(as_text=True)
    assert f"/moderation/?round={round_.id}&amp;reason=held" in page
    assert "Held: personal data found: <strong>2</strong>" in page
    assert "Flagged by residents: <strong>1</strong>" in page
    quiet_part = page[page.index("Surveillance ordinance"):]
    assert "Nothing is waiting." in quiet_part and f"round={quiet.id}&amp;reason=" not in quiet_part
    assert f"/reports/{round_.slug}/plan" not in page  # the plan is officials' work
    assert 'href="/staff/"' in client.get("/").get_data(as_text=True)  # the header leads staff here


def test_officials_get_summary_plan_and_the_last_report_but_no_queue(client, auth, make_round, make_comment, make_user):
    round_ = _waiting_round(make_round, make_comment, make_user)
    db.session.add_all([ReportVersion(round_id=round_.id, number=n, content={}) for n in (1, 2)])
    db.session.commit()
    auth.login(make_user(roles=["official"]))
    page = client.get("/staff/").get_data(as_text=True)
    assert f"/reports/{round_.slug}/summary" in page and f"/reports/{round_.slug}/plan" in page
    assert "Report, version 2" in page
    assert "Waiting for moderators" not in page and "/moderation/" not in page
    assert 'href="/staff/"' in page
    assert client.get("/staff/").headers["Cache-Control"] == "no-store"


def test_drafts_are_listed_without_public_links(client, auth, make_round, make_user):
    draft = make_round(status="draft", title="Draft ordinance")
    auth.login(make_user(roles=["admin"]))
    page = client.get("/staff/").get_data(as_text=True)
    assert "Draft ordinance" in page and f"/admin/rounds/{draft.slug}" in page
    assert f'href="/rounds/{draft.slug}"' not in page and f"/reports/{draft.slug}/summary" not in page


def test_residents_and_visitors_are_kept_out(client, auth, make_user):
    assert client.get("/staff/").status_code == 302
    auth.login(make_user())
    assert client.get("/staff/").status_code == 403
    assert 'href="/staff/"' not in client.get("/").get_data(as_text=True)


def test_the_header_shows_moderators_how_many_comments_wait(client, auth, make_round, make_comment, make_user):
    _waiting_round(make_round, make_comment, make_user)
    auth.login(make_user(roles=["moderator"]))
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    assert '<span class="usa-tag margin-left-05">3<span class="usa-sr-only"> waiting</span></span>' in header
