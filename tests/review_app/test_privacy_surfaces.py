"""Nothing personal or removed stays public: a comment's text, its personal data and its author's
name are followed through every public page, file and API route, after each moderation action,
withdrawal, account erasure and report publication.

A public surface is every GET route the access table (test_access_matrix.ACCESS) opens to the
public, with the round's slug, the comment's section and thread, and report version 1 filled in,
plus the report's PDF files read back as text and its pictures (the social-media tile, the one-page
summary) by the text they are drawn with. Fragments are cached with a grace period here, and each
check waits it out, so a stale cached copy counts as a leak.
"""

import io
import time
from datetime import timedelta

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from review_app.comments.models import Comment
from review_app.extensions import db
from review_app.reports.models import ReportFile
from review_app.rounds.models import RoundStatus
from review_app.timeutil import utcnow

from ..conftest import TEST_PASSWORD
from .test_access_matrix import ACCESS

GRACE = 0.3
MARKER = "Quillfeathered"  # a word of the comment's own text
PHONE = "555-867-5309"  # the personal data in it
AUTHOR = "Zebulon Marchetti-Okafor"  # the display name of a second resident, who erases their account
BODY = f"Ban chokeholds and every neck restraint, {MARKER} officers kneel on people. Call me at {PHONE} tonight."
NOT_CONTENT = {"static", "i18n.choose", "accounts.login", "accounts.register", "accounts.logout", "accounts.verify_email",
               "accounts.forgot_password", "accounts.reset_password", "ops.healthz",
               "ops.readyz", "api.openapi", "api.docs"}
PUBLIC = sorted(e for e, level in ACCESS.items() if level == "public" and e not in NOT_CONTENT)

# Where the comment's text belongs while it is public, before and after the report quotes it.
THREADS = {"comments.round_page", "comments.section_page", "comments.thread", "api.round_comments",
           "api.round_summary"}
REPORT = {"reports.public_report", "reports.public_report v1", "reports.report_pdf", "reports.export_json",
          "reports.export_csv", "api.report"}
# Pictures of the report for sharing: titles and numbers, never a comment's text.
SHARED = {f"reports.{name}{version}" for name in ("report_tile", "infographic_pdf", "infographic_png") for version in ("", " v1")}


@pytest.fixture
def app_config():
    return {"FRAGMENT_GRACE": GRACE}


def surfaces(app, client, slug: str, comment: Comment) -> dict[str, str]:
    """Every public surface's text, as an anonymous visitor gets it once cached copies are due."""
    time.sleep(GRACE + 0.05)
    values = {"slug": slug, "comment_id": comment.id, "receipt": comment.receipt, "action_id": 1}
    texts = {}
    for endpoint in PUBLIC:
        for rule in app.url_map.iter_rules(endpoint):
            if "GET" not in rule.methods:
                continue
            arguments = {**values, "number": comment.section.number if "section" in endpoint else "1"}
            url = rule.build({name: arguments[name] for name in rule.arguments}, append_unknown=False)[1]
            response = client.get(url)
            name = endpoint + (" v1" if "number" in rule.arguments and endpoint.startswith("reports.") else "")
            if response.mimetype == "application/pdf":
                texts[name] = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
            elif response.mimetype == "image/png":  # the text drawn on it, which it carries as its description
                texts[name] = Image.open(io.BytesIO(response.data)).text["Description"]
            else:
                texts[name] = response.get_data(as_text=True)
    return texts


def holding(texts: dict[str, str], needle: str) -> set[str]:
    return {name for name, text in texts.items() if needle in text}


def test_a_comment_and_its_personal_data_are_public_exactly_where_they_should_be(
        app, client, make_round, make_user, auth):
    round_ = make_round(moderation_mode="post")
    slug = round_.slug
    author, other = make_user(display_name="Ada Resident"), make_user(display_name=AUTHOR)
    moderator = make_user(roles=["moderator"])
    official = make_user(roles=["official"])
    browser, other_browser = app.test_client(), app.test_client()
    browser.post("/account/login", data={"email": author.email, "password": TEST_PASSWORD})
    other_browser.post("/account/login", data={"email": other.email, "password": TEST_PASSWORD})
    section = round_.sections[0]

    def look():
        db.session.expire_all()
        return surfaces(app, client, slug, comment)

    # Held: the pipeline found a phone number, so nothing of it is public, in a post-moderated round.
    browser.post(f"/rounds/{slug}/comments", data={"body": BODY, "section_id": str(section.id), "idempotency_key": "a"})
    other_browser.post(f"/rounds/{slug}/comments", data={
        "body": "Ban chokeholds in every circumstance, and neck restraints too.", "section_id": str(section.id),
        "idempotency_key": "b"})
    comment = db.session.scalar(select(Comment).where(Comment.body == BODY))
    assert comment.status == "held"
    texts = look()
    assert holding(texts, MARKER) == set() and holding(texts, PHONE) == set()
    assert holding(texts, AUTHOR) == {"comments.round_page", "comments.section_page", "api.round_comments"}

    # Redacted: published at once, without the number.
    auth.login(moderator)
    client.post(f"/moderation/comments/{comment.id}/redact",
                data={"text": BODY.replace(PHONE, "[phone number removed]")})
    auth.logout()
    texts = look()
    assert holding(texts, MARKER) == THREADS and holding(texts, PHONE) == set()

    # The report quotes it; the number stays out of every copy, the PDF included.
    round_.status = RoundStatus.CLOSED
    round_.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    auth.login(official)
    client.post(f"/reports/{slug}/publish", data={"change_note": "First publication.", "version": 1})
    auth.logout()
    texts = look()
    assert holding(texts, MARKER) == THREADS | REPORT and holding(texts, PHONE) == set()
    # Drawn and read, without the comment. The title's words only: a tile may break "round-c51f" at its hyphen.
    assert SHARED <= holding(texts, round_.title.split("-")[0])

    # Hidden after publication: gone from every surface; the report says so and is amended.
    auth.login(moderator)
    client.post(f"/moderation/comments/{comment.id}/decide", data={"action": "hide", "reason": "off_topic"})
    auth.logout()
    texts = look()
    assert holding(texts, MARKER) == set() and holding(texts, PHONE) == set()
    for name in ("reports.public_report", "reports.report_pdf"):
        assert "removed by moderators on" in texts[name] and "(off-topic)" in texts[name], name
    for name in ("reports.export_json", "api.report", "reports.export_csv"):
        assert "Removed by moderators on" in texts[name] and "(Off-topic)" in texts[name], name
    assert "Amended on" in texts["reports.public_report"]

    # Restored: back, still redacted (a restore never undoes a redaction).
    auth.login(moderator)
    client.post(f"/moderation/comments/{comment.id}/decide", data={"action": "restore", "reason": "reviewed_again"})
    auth.logout()
    texts = look()
    assert holding(texts, MARKER) == THREADS | REPORT and holding(texts, PHONE) == set()

    # Withdrawn by its author: gone again, with the author's notice.
    browser.post(f"/my/comments/{comment.id}/withdraw")
    texts = look()
    assert holding(texts, MARKER) == set() and holding(texts, PHONE) == set()
    assert "withdrawn by its author" in texts["reports.public_report"]
    assert "withdrawn by its author" in texts["comments.round_page"]

    # The other resident erases their account, keeping their comment: it stays, without their name.
    assert holding(texts, AUTHOR)
    other_browser.post("/account/delete", data={"comments": "anonymise", "password": TEST_PASSWORD})
    texts = look()
    assert holding(texts, AUTHOR) == set()
    assert "Ban chokeholds in every circumstance" in texts["comments.round_page"]


def test_a_stored_pdf_is_drawn_once_per_edition_and_again_when_a_quote_is_removed(
        app, client, make_round, make_comment, make_user, auth, monkeypatch):
    from review_app.analysis.services import analyse
    from review_app.reports import services

    round_ = make_round(status="closed")
    quoted = make_comment(round_, body=f"Ban neck restraints and chokeholds. {MARKER}.")
    analyse([quoted])
    auth.login(make_user(roles=["official", "moderator"]))
    client.post(f"/reports/{round_.slug}/publish", data={"change_note": "First publication.", "version": 1})
    drawn = []
    real = services.pdf_of
    monkeypatch.setattr(services, "pdf_of", lambda html: drawn.append(MARKER in html) or real(html))

    first, again = (client.get(f"/rounds/{round_.slug}/report.pdf").data for _ in range(2))
    assert first == again and drawn == [True]  # drawn once, then served from storage
    client.post(f"/moderation/comments/{quoted.id}/decide", data={"action": "hide", "reason": "spam"})
    time.sleep(GRACE + 0.05)
    client.get(f"/rounds/{round_.slug}/report.pdf")
    assert drawn == [True, False]  # drawn again, without the hidden quote
    assert len(db.session.scalars(select(ReportFile)).all()) == 1  # replaced, not added
