"""Shareable reports: Open Graph tags with the public address, the 1200x630 tile, and the one-page
summary as PDF and PNG, each drawn once per version edition and never holding a comment's text."""

import io
import re
import time

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from review_app.analysis.models import CommentAnalysis
from review_app.extensions import db
from review_app.reports import share
from review_app.reports.models import ReportFile, ReportVersion

PUBLIC = "https://review.example.gov"
QUOTED = "Quillfeathered neck restraints must end"  # a comment's own words, which the report quotes
FILES = ("tile.png", "infographic.pdf", "infographic.png")


@pytest.fixture
def app_config():
    # localhost: an internal name the server also answers to, which links must never use.
    return {"PUBLIC_BASE_URL": PUBLIC, "TRUSTED_HOSTS": ["localhost", "review.example.gov"], "FRAGMENT_GRACE": 0.2}


@pytest.fixture
def reported(make_round, make_comment, make_user, auth, client):
    """A closed round with two themes and an answer, its report published by an official (signed in)."""
    round_ = make_round(status="closed", title="Crisis response budget review")
    for body, themes, stance in ((f"{QUOTED}, every one.", ["use_of_force"], "oppose"),
                                 ("Fund the crisis team before anything else.", ["use_of_force", "budget_reinvestment"], "support"),
                                 ("Move the money to clinics.", ["budget_reinvestment"], "support")):
        comment = make_comment(round_, body=body)
        db.session.add(CommentAnalysis(comment_id=comment.id, themes=themes, theme_scores={t: 0.9 for t in themes},
                                       stance=stance, model_version="test"))
    db.session.commit()
    auth.login(make_user(roles=["official", "moderator"]))
    client.post(f"/reports/{round_.slug}/plan", data={
        "use_of_force-what_we_heard": "Residents want neck restraints banned.", "use_of_force-what_we_will_do": "Ban them.",
        "use_of_force-status": "in progress", "use_of_force-reason": "", "use_of_force-department": "Police Department",
        "use_of_force-target_date": "2027-03-31", "use_of_force-policy_link": ""})
    client.post(f"/reports/{round_.slug}/publish", data={"change_note": "First publication.", "version": 1})
    return round_


def meta(page: str) -> dict[str, str]:
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)"', page))


def test_report_and_round_pages_have_open_graph_tags_with_the_public_address(app, reported):
    visitor, slug = app.test_client(), reported.slug
    assert visitor.get(f"/rounds/{slug}/report", headers={"Host": "evil.example"}).status_code == 400

    tags = meta(visitor.get(f"/rounds/{slug}/report", headers={"Host": "localhost"}).get_data(as_text=True))

    assert tags["og:url"] == f"{PUBLIC}/rounds/{slug}/report"
    assert tags["og:image"] == tags["twitter:image"] == f"{PUBLIC}/rounds/{slug}/report/v1/tile.png"
    assert (tags["og:image:width"], tags["og:image:height"], tags["twitter:card"]) == ("1200", "630", "summary_large_image")
    assert "Crisis response budget review" in tags["og:title"] and "Crisis response budget review" in tags["og:image:alt"]
    assert tags["og:description"] == ("3 voices heard. The city&#39;s answers on 2 themes: planned: 0, in progress: 1, "
                                      "done: 0, not adopted: 0, not decided: 1.")
    assert tags["og:locale"] == "en_US"
    assert not any("localhost" in value for value in tags.values())

    version = meta(visitor.get(f"/rounds/{slug}/report/v1", headers={"Host": "localhost"}).get_data(as_text=True))
    assert version["og:url"] == f"{PUBLIC}/rounds/{slug}/report/v1"
    spanish = meta(visitor.get(f"/rounds/{slug}/report", headers={"Accept-Language": "es"}).get_data(as_text=True))
    assert spanish["og:locale"] == "es_US" and spanish["og:description"].startswith("3 voces escuchadas.")

    round_page = meta(visitor.get(f"/rounds/{slug}").get_data(as_text=True))
    assert round_page["og:url"] == f"{PUBLIC}/rounds/{slug}" and round_page["og:title"] == "Crisis response budget review"
    assert round_page["og:image"] == f"{PUBLIC}/rounds/{slug}/report/v1/tile.png"


def test_a_round_without_a_report_is_shared_without_a_picture(app, make_round):
    round_ = make_round(title="Use of force draft")
    tags = meta(app.test_client().get(f"/rounds/{round_.slug}").get_data(as_text=True))
    assert tags["og:url"] == f"{PUBLIC}/rounds/{round_.slug}" and tags["og:title"] == "Use of force draft"
    assert tags["twitter:card"] == "summary" and "og:image" not in tags
    assert tags["og:description"].startswith("Open for comments.")


def test_the_tile_is_a_1200x630_png_of_titles_and_numbers(app, reported):
    response = app.test_client().get(f"/rounds/{reported.slug}/report/v1/tile.png")

    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG" and image.size == (1200, 630)
    drawn = image.text["Description"]  # the page's text, as drawn
    assert "Crisis response budget review" in drawn and "Voices by theme" in drawn and "3 voices heard" in drawn
    assert "Use of force 2" in drawn and "Budget and reinvestment 2" in drawn
    assert QUOTED not in drawn and "neck restraints" not in drawn  # neither quotes nor the plan's words
    assert app.test_client().get(f"/rounds/{reported.slug}/report/tile.png").data == response.data  # the latest


def test_the_one_page_summary_holds_the_round_themes_and_statuses_and_no_comment_text(app, reported):
    visitor, slug = app.test_client(), reported.slug
    response = visitor.get(f"/rounds/{slug}/report/infographic.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f'filename="{slug}-v1-summary.pdf"' in response.headers["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(response.data))
    assert len(pdf.pages) == 1
    catalog = pdf.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True and catalog["/Lang"] == "en"  # noqa: E712 (tagged: PDF/UA-1)
    text = " ".join(pdf.pages[0].extract_text().split())
    for words in ("Crisis response budget review", "Use of force", "Budget and reinvestment", "What the city will do",
                  "in progress", "Police Department", "31 March 2027", f"{PUBLIC}/rounds/{slug}/report/v1"):
        assert words in text, words
    assert QUOTED not in text and "Fund the crisis team" not in text and "neck restraints" not in text

    picture = visitor.get(f"/rounds/{slug}/report/v1/infographic.png")
    image = Image.open(io.BytesIO(picture.data))
    assert image.format == "PNG" and image.width > 1200 and image.height > image.width  # a letter page, 150 dpi
    assert "Crisis response budget review" in image.text["Description"]

    spanish = visitor.get(f"/rounds/{slug}/report/infographic.pdf", headers={"Accept-Language": "es"}).data
    spanish_pdf = PdfReader(io.BytesIO(spanish))
    assert spanish_pdf.trailer["/Root"]["/Lang"] == "es" and "Lo que hará la ciudad" in spanish_pdf.pages[0].extract_text()


def test_the_report_page_links_its_one_page_summary(app, reported):
    page = app.test_client().get(f"/rounds/{reported.slug}/report").get_data(as_text=True)
    assert f'href="/rounds/{reported.slug}/report/v1/infographic.pdf"' in page
    assert f'href="/rounds/{reported.slug}/report/v1/infographic.png"' in page


def test_nothing_is_shared_before_a_report_is_published(app, make_round):
    visitor, slug = app.test_client(), make_round(status="closed").slug
    for name in FILES:
        assert visitor.get(f"/rounds/{slug}/report/{name}").status_code == 404
        assert visitor.get(f"/rounds/{slug}/report/v1/{name}").status_code == 404


def test_a_version_that_does_not_exist_has_no_files(app, reported):
    for name in FILES:
        assert app.test_client().get(f"/rounds/{reported.slug}/report/v2/{name}").status_code == 404


def test_files_are_drawn_once_per_edition_and_again_when_a_quote_is_hidden(app, client, reported, monkeypatch):
    drawn = []
    real = share.draw_pdf
    monkeypatch.setattr(share, "draw_pdf", lambda html: drawn.append("<title>" in html) or real(html))
    visitor, slug = app.test_client(), reported.slug

    first = {name: visitor.get(f"/rounds/{slug}/report/{name}").data for name in FILES}
    again = {name: visitor.get(f"/rounds/{slug}/report/{name}").data for name in FILES}
    assert first == again and len(drawn) == 2  # the tile and the summary's PDF, whose PNG is drawn from it

    version = db.session.scalar(select(ReportVersion))
    quoted = next(q["id"] for t in version.content["themes"] for q in t["quotes"])
    client.post(f"/moderation/comments/{quoted}/decide", data={"action": "hide", "reason": "spam"})
    db.session.refresh(version)
    assert version.amended_at is not None  # a new edition
    time.sleep(0.25)
    for name in FILES:
        assert visitor.get(f"/rounds/{slug}/report/{name}").status_code == 200
    assert len(drawn) == 4  # drawn again for the new edition
    kinds = sorted(db.session.scalars(select(ReportFile.kind)))
    assert kinds == ["infographic.pdf", "infographic.png", "tile"]  # replaced, not added


def test_the_one_page_summary_stays_on_one_page_with_the_longest_words(app, make_round, make_comment, make_user,
                                                                         auth, client):
    """Titles and departments at their longest, every theme answered with a long owner."""
    round_ = make_round(status="closed", title="A" * 60 + " " + "long title words " * 8, department="Department " * 18)
    keys = ["violence_prevention", "accountability_oversight", "community_trust", "alternative_response",
            "surveillance_privacy", "training_culture", "crime_safety_concerns"]
    for i, key in enumerate(keys):
        for _ in range(i + 1):
            comment = make_comment(round_, body="Words.")
            db.session.add(CommentAnalysis(comment_id=comment.id, themes=[key], theme_scores={key: 0.9},
                                           stance="unclear", model_version="test"))
    db.session.commit()
    auth.login(make_user(roles=["official"]))
    plan = {}
    for key in keys:
        plan.update({f"{key}-what_we_heard": "Heard.", f"{key}-what_we_will_do": "Act.", f"{key}-status": "planned",
                     f"{key}-reason": "", f"{key}-department": "Office of " + "the deputy director " * 10,
                     f"{key}-target_date": "2027-12-31", f"{key}-policy_link": ""})
    client.post(f"/reports/{round_.slug}/plan", data=plan)
    client.post(f"/reports/{round_.slug}/publish", data={"change_note": "First publication.", "version": 1})

    pdf = PdfReader(io.BytesIO(app.test_client().get(f"/rounds/{round_.slug}/report/infographic.pdf").data))

    assert len(pdf.pages) == 1
    assert "How to follow up" in pdf.pages[0].extract_text()


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "PUBLIC_BASE_URL": PUBLIC, "TRUSTED_HOSTS": ["localhost"]}

    @pytest.mark.parametrize("name", [f"report/{name}" for name in FILES] + ["report.pdf"])
    def test_each_stored_file_is_limited_like_the_report_pdf(self, app, make_round, name):
        visitor, slug = app.test_client(), make_round(status="closed").slug
        codes = [visitor.get(f"/rounds/{slug}/{name}").status_code for _ in range(61)]
        assert codes == [404] * 60 + [429]  # STORED_FILES: 60 a minute from one address

    def test_a_crawler_may_fetch_a_stored_tile_often_from_one_address(self, client, reported):
        """A tile is drawn once and then served as stored: a social site fetching it for many posts is
        not turned away after ten (exports assembled per request still are: test_abuse)."""
        statuses = [client.get(f"/rounds/{reported.slug}/report/tile.png").status_code for _ in range(60)]
        assert statuses == [200] * 60

