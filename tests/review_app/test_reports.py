"""Officials' summary against hand-counted fixtures, the plan's versions, exports and notices."""

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from review_app.analysis.models import Campaign, CommentAnalysis, ThemeCorrection
from review_app.comments.models import Comment, CommentContact, DemographicAnswer
from review_app.extensions import db
from review_app.reports import services
from review_app.reports.models import OutboxMessage, ReportVersion
from review_app.reports.summary import CAMPAIGNS_LISTED, build_summary


def analysed(make_comment, round_, themes, estimate="unclear", **values):
    """A stored comment with the pipeline's reading given by hand (themes, estimated stance)."""
    comment = make_comment(round_, **values)
    db.session.add(CommentAnalysis(comment_id=comment.id, themes=themes, theme_scores={t: 0.9 for t in themes},
                                   stance=estimate, model_version="test"))
    db.session.commit()
    return comment


@pytest.fixture
def counted_round(make_round, make_comment, make_user):
    """A round whose numbers were counted by hand (see the asserts)."""
    round_ = make_round(status="closed", sections=2, districts=["Northside", "Riverside"],
                        district_population={"Northside": 3000, "Riverside": 1000})
    a, b, c, d, e, staff = (make_user() for _ in range(6))
    s1, s2 = round_.sections
    analysed(make_comment, round_, ["use_of_force"], "oppose", body="Ban chokeholds", stance="support",
             author_id=a.id, section_id=s1.id, support_count=2)
    analysed(make_comment, round_, ["use_of_force", "budget_reinvestment"], "oppose", body="Too costly and too rough",
             section_id=s2.id, support_count=1)
    campaign = Campaign(round_id=round_.id, first_comment_id=0)
    db.session.add(campaign)
    db.session.commit()
    letters = [analysed(make_comment, round_, ["budget_reinvestment"], "support", body=f"Move the money. {i}",
                        author_id=user.id, campaign_id=campaign.id) for i, user in enumerate((b, c, d, e))]
    campaign.first_comment_id = letters[0].id
    analysed(make_comment, round_, ["use_of_force"], "oppose", body="Pending words", status="pending")
    analysed(make_comment, round_, ["use_of_force"], "oppose", body="Hidden words", status="hidden")
    corrected = analysed(make_comment, round_, [], "unclear", body="We never see officers", author_id=a.id)
    db.session.add(ThemeCorrection(comment_id=corrected.id, themes=["community_trust"], stance="mixed", corrected_by_id=staff.id))
    for user, district in [(a, "Northside"), (b, "Northside"), (c, "Northside"), (d, "Northside"), (e, "Northside"),
                           (make_user(), "Northside"), (make_user(), "Riverside"), (make_user(), "Riverside")]:
        db.session.add(DemographicAnswer(round_id=round_.id, user_id=user.id, district=district, age_band="25-34"))
    db.session.commit()
    return round_


def test_summary_matches_hand_counts(counted_round):
    summary = build_summary(counted_round)
    assert (summary.comments, summary.voices, summary.commenters, summary.supports) == (7, 4, 6, 3)
    themes = {t.key: t for t in summary.themes}
    force, budget, trust = themes["use_of_force"], themes["budget_reinvestment"], themes["community_trust"]
    assert (force.voices, force.comments, force.commenters, force.supports) == (2, 2, 2, 3)
    assert force.stance == {"support": 1, "oppose": 1, "mixed": 0, "unclear": 0}  # a declared stance wins
    assert (budget.voices, budget.comments) == (2, 5)  # the campaign is one voice with 4 signatures
    assert [size for _, size in budget.campaigns] == [4]
    assert budget.stance == {"support": 1, "oppose": 1, "mixed": 0, "unclear": 0}
    assert (trust.voices, trust.stance["mixed"]) == (1, 1)  # the moderator's correction is used
    assert themes["schools_youth"].voices == 0
    assert [(number, count) for number, _, count, _ in summary.sections] == [("1", 1), ("2", 1)]
    # Riverside's 2 is withheld, and Northside's 6 with it: the total would give it away.
    assert summary.districts == [["Northside", "fewer than 5", None, 75], ["Riverside", "fewer than 5", None, 25]]
    ages = dict(summary.other_answers["Age"])
    # Every answer is 25-34: showing its 8 would tell each resident's band, so it is withheld too.
    assert ages["25-34"] == "fewer than 5" and ages["65 or older"] == "fewer than 5"
    quoted = [db.session.get(Comment, q["id"]).body for t in summary.themes for q in t.quotes]
    assert "Pending words" not in quoted and "Hidden words" not in quoted
    assert sum(text.startswith("Move the money") for text in quoted) == 1  # one quote per campaign


def test_summary_page_has_charts_with_tables_and_suppresses_small_groups(client, counted_round, make_user, auth):
    auth.login(make_user(roles=["moderator"]))
    page = client.get(f"/reports/{counted_round.slug}/summary").get_data(as_text=True)
    assert "<svg" in page and "<table>" in page and "Voices by theme" in page
    assert "fewer than 5" in page
    assert "Pending words" not in page


def response(**changes):
    """The plan form of the use-of-force theme, as the browser sends it (fields prefixed by theme)."""
    values = {"what_we_heard": "Residents want chokeholds banned.", "what_we_will_do": "We will ban them.",
              "status": "planned", "reason": "", "department": "Police", "target_date": "2027-01-31",
              "policy_link": "https://city.gov/policy"}
    values.update(changes)
    return {f"use_of_force-{name}": value for name, value in values.items()}


def test_plan_is_private_until_published_and_versions_are_kept(app, client, official, counted_round):
    slug = counted_round.slug
    prefilled = client.get(f"/reports/{slug}/plan").get_data(as_text=True)
    assert "2 residents&#39; comments were about use of force" in prefilled
    client.post(f"/reports/{slug}/plan", data=response())
    public = app.test_client()
    assert public.get(f"/rounds/{slug}/report").status_code == 404

    client.post(f"/reports/{slug}/publish", data={"change_note": "First publication.", "version": 1})
    first = public.get(f"/rounds/{slug}/report").get_data(as_text=True)
    assert "We will ban them." in first and "Version 1" in first
    db.session.refresh(counted_round)
    assert counted_round.status == "reported"

    client.post(f"/reports/{slug}/plan", data=response(what_we_will_do="We will ban them by March."))
    assert "by March" not in public.get(f"/rounds/{slug}/report").get_data(as_text=True)  # drafts stay private
    refused = client.post(f"/reports/{slug}/publish", data={"change_note": "", "version": 2})
    assert b"Write a change note" in refused.data
    client.post(f"/reports/{slug}/publish", data={"change_note": "Dates added", "version": 2})
    latest = public.get(f"/rounds/{slug}/report").get_data(as_text=True)
    assert "by March" in latest and "Dates added" in latest
    assert "by March" not in public.get(f"/rounds/{slug}/report/v1").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReportVersion)) == 2


def test_an_open_round_cannot_be_reported(client, official, make_round):
    round_ = make_round(status="open")
    response = client.post(f"/reports/{round_.slug}/publish", data={"change_note": "First publication.", "version": 1},
                           follow_redirects=True)
    assert b"Close the round" in response.data
    assert db.session.scalar(select(func.count()).select_from(ReportVersion)) == 0


def test_bad_plan_input_is_refused(client, official, counted_round):
    refused = client.post(f"/reports/{counted_round.slug}/plan", data=response(status="done-ish", policy_link="javascript:alert(1)"))
    assert b"Nothing was saved" in refused.data
    assert services.responses(counted_round) == {}


def test_no_private_field_reaches_the_public_report_or_the_exports(app, client, official, counted_round, make_comment):
    secret = make_comment(counted_round, body="Call 555-201-3344", redacted_body="Call [phone number removed]",
                          display_name="Secret Name")
    db.session.add(CommentContact(comment_id=secret.id, email="hear.back@example.org"))
    db.session.commit()
    client.post(f"/reports/{counted_round.slug}/publish", data={"change_note": "First publication.", "version": 1})
    public = app.test_client()
    for url in ("report", "report/comments.csv", "report/report.json"):
        body = public.get(f"/rounds/{counted_round.slug}/{url}").get_data(as_text=True)
        for private in ("555-201-3344", "hear.back@example.org", "Pending words", "Hidden words", "Secret Name"):
            assert private not in body, (url, private)
    # Demographic answers appear only as group counts, never beside a comment.
    assert "25-34" not in public.get(f"/rounds/{counted_round.slug}/report/comments.csv").get_data(as_text=True)
    data = json.loads(public.get(f"/rounds/{counted_round.slug}/report/report.json").data)
    assert data["report_version"] == 1 and len(data["comments"]) == 8
    assert set(data["comments"][0]) == set(services.EXPORT_FIELDS)


def test_csv_cells_that_look_like_formulas_are_neutralised(app, client, official, counted_round, make_comment):
    make_comment(counted_round, body='=HYPERLINK("http://evil.example","click")')
    make_comment(counted_round, body="-5 officers is fine")
    client.post(f"/reports/{counted_round.slug}/publish", data={"change_note": "First publication.", "version": 1})
    rows = list(csv.DictReader(io.StringIO(app.test_client().get(f"/rounds/{counted_round.slug}/report/comments.csv").get_data(as_text=True))))
    texts = [row["text"] for row in rows]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in texts and "'-5 officers is fine" in texts


def test_each_resident_is_notified_once_even_across_versions_and_crashes(client, official, counted_round, make_comment):
    for email in ("a@example.org", "a@example.org", "b@example.org", "c@example.org"):
        db.session.add(CommentContact(comment_id=make_comment(counted_round).id, email=email))
    db.session.commit()
    client.post(f"/reports/{counted_round.slug}/publish", data={"change_note": "First publication.", "version": 1})
    client.post(f"/reports/{counted_round.slug}/publish", data={"change_note": "again", "version": 2})
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3

    delivered = []

    def flaky(message):
        if message.to_address == "b@example.org":
            raise ConnectionError("SMTP went away")
        delivered.append(message.to_address)

    assert services.send_notifications(flaky) == (2, 1)
    assert services.send_notifications(delivered.append) == (0, 0)  # nothing is ever sent twice
    assert sorted(delivered) == ["a@example.org", "c@example.org"]
    failed = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "b@example.org"))
    assert failed.sent_at is None and "SMTP went away" in failed.last_error
    assert "/rounds/" in failed.body and "/report" in failed.body


def test_send_notifications_command_logs_in_development(runner, client, official, counted_round, make_comment):
    db.session.add(CommentContact(comment_id=make_comment(counted_round).id, email="r@example.org"))
    db.session.commit()
    client.post(f"/reports/{counted_round.slug}/publish", data={"change_note": "First publication.", "version": 1})
    result = runner.invoke(args=["send-notifications"])
    assert "sent 1 notices, 0 failed" in result.output
    assert db.session.scalar(select(OutboxMessage)).sent_at is not None


def test_the_summary_is_reused_until_something_it_counts_changes(counted_round, make_comment, monkeypatch):
    import review_app.reports.summary as summary_module

    computed = []
    real = summary_module._compute_summary
    monkeypatch.setattr(summary_module, "_compute_summary", lambda round_: computed.append(1) or real(round_))
    first = build_summary(counted_round)
    assert build_summary(counted_round) == first and len(computed) == 1  # the stored snapshot, same numbers
    analysed(make_comment, counted_round, ["use_of_force"], body="One more voice")
    assert build_summary(counted_round).comments == first.comments + 1 and len(computed) == 2


def test_the_public_report_downloads_as_a_pdf_drawn_without_the_network(app, client, official, counted_round, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF must not fetch anything")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    public = app.test_client()
    assert public.get(f"/rounds/{counted_round.slug}/report.pdf").status_code == 404  # nothing published yet
    client.post(f"/reports/{counted_round.slug}/publish", data={"change_note": "First publication.", "version": 1})

    response = public.get(f"/rounds/{counted_round.slug}/report.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and len(response.data) > 5000
    assert f'filename="{counted_round.slug}-v1.pdf"' in response.headers["Content-Disposition"]
    assert f"/rounds/{counted_round.slug}/report.pdf" in public.get(f"/rounds/{counted_round.slug}/report").get_data(as_text=True)


def test_the_report_pdf_is_tagged_and_in_the_readers_language(client, official, counted_round):
    from pypdf import PdfReader

    client.post(f"/reports/{counted_round.slug}/publish", data={"change_note": "First publication.", "version": 1})
    for language, expected in (("en-US", "en"), ("es-MX", "es")):
        data = client.get(f"/rounds/{counted_round.slug}/report.pdf", headers={"Accept-Language": language}).data
        catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"] == True and "/StructTreeRoot" in catalog  # noqa: E712 (tagged: PDF/UA-1)
        assert catalog["/Lang"] == expected


def test_summary_page_names_the_largest_form_letters_and_counts_the_rest(client, make_round, make_comment, make_user,
                                                                         auth):
    round_ = make_round()
    for number in range(CAMPAIGNS_LISTED + 3):  # the first three have three signatures, the others one
        campaign = Campaign(round_id=round_.id, first_comment_id=0)
        db.session.add(campaign)
        db.session.commit()
        for copy in range(3 if number < 3 else 1):
            make_comment(round_, body=f"Form letter number {number}, copy {copy}.", campaign_id=campaign.id)
    auth.login(make_user(roles=["official"]))
    page = client.get(f"/reports/{round_.slug}/summary").get_data(as_text=True)
    assert page.count("<li>3 signatures:") == 3
    named = [n for n in range(CAMPAIGNS_LISTED + 3) if f"Form letter number {n}," in page]
    assert len(named) == CAMPAIGNS_LISTED and {0, 1, 2} <= set(named)
    assert "And 3 smaller form letters with 3 signatures in all." in page
