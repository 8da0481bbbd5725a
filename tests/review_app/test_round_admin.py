"""Admins create rounds, import policy text, version public edits and move rounds through states."""

import io

import pytest
from sqlalchemy import func, select

from review_app.extensions import db
from review_app.rounds.models import PolicyRevision, Round

ROUND_FORM = {
    "title": "Draft school resource officer policy",
    "slug": "sro-2026",
    "summary": "Officers in schools.",
    "department": "Schools",
    "moderation_mode": "pre",
    "allow_anonymous": "y",
    "opens_at": "2026-12-01T09:00",
    "closes_at": "2027-01-15T17:00",
    "districts": "Northside\nRiverside\n\n",
    "district_population": "Northside: 12,400\nRiverside: 9000",
}


def test_admin_creates_a_draft_round_and_status_cannot_be_mass_assigned(client, admin):
    response = client.post("/admin/rounds/new", data={**ROUND_FORM, "status": "open", "id": "99"})
    assert response.status_code == 302
    round_ = db.session.scalar(select(Round))
    assert round_.status == "draft" and round_.id != 99
    assert round_.districts == ["Northside", "Riverside"]
    assert round_.district_population == {"Northside": 12400, "Riverside": 9000}
    assert round_.moderation_mode == "pre" and round_.allow_anonymous


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"slug": "Bad Slug!"}, b"lower-case letters"),
        ({"title": ""}, b"This field is required"),
        ({"closes_at": "2026-11-01T09:00"}, b"closing time must be after"),
        ({"district_population": "Northside twelve"}, b"Line 1 should look like"),
    ],
)
def test_bad_round_input_is_refused_next_to_the_field(client, admin, changes, message):
    response = client.post("/admin/rounds/new", data={**ROUND_FORM, **changes})
    assert response.status_code == 422
    assert message in response.data
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0


def test_slugs_are_unique(client, admin, make_round):
    make_round(slug="sro-2026")
    response = client.post("/admin/rounds/new", data=ROUND_FORM)
    assert response.status_code == 422 and b"already uses this web address" in response.data


def test_import_previews_then_saves_sections(client, admin, make_round):
    round_ = make_round(status="draft", sections=0)
    document = "## 1. Purpose\nWhy.\n## 2. Scope\nWho."
    preview = client.post(f"/admin/rounds/{round_.slug}/import", data={"document": document})
    assert b"Preview: 2 sections" in preview.data
    assert round_.sections == []
    client.post(f"/admin/rounds/{round_.slug}/import", data={"document": document, "confirm": "y"})
    db.session.refresh(round_)
    assert [(s.number, s.heading, s.body) for s in round_.sections] == [("1", "Purpose", "Why."), ("2", "Scope", "Who.")]
    assert round_.revisions == []  # drafts change freely


def test_import_from_an_uploaded_file_and_bad_files(client, admin, make_round):
    round_ = make_round(status="draft", sections=0)
    upload = {"upload": (io.BytesIO(b"1. PURPOSE\nWhy.\n2. SCOPE\nWho."), "policy.txt"), "confirm": "y"}
    client.post(f"/admin/rounds/{round_.slug}/import", data=upload, content_type="multipart/form-data")
    db.session.refresh(round_)
    assert len(round_.sections) == 2
    latin1 = {"upload": (io.BytesIO("## 1. Caf\u00e9\nx".encode("latin-1")), "policy.md"), "confirm": "y"}
    response = client.post(f"/admin/rounds/{round_.slug}/import", data=latin1, content_type="multipart/form-data")
    assert response.status_code == 422 and b"not UTF-8" in response.data
    exe = {"upload": (io.BytesIO(b"MZ"), "policy.exe")}
    assert client.post(f"/admin/rounds/{round_.slug}/import", data=exe, content_type="multipart/form-data").status_code == 422


def test_import_without_headings_explains_and_keeps_sections(client, admin, make_round):
    round_ = make_round(status="draft", sections=2)
    response = client.post(f"/admin/rounds/{round_.slug}/import", data={"document": "no headings here", "confirm": "y"})
    assert response.status_code == 422 and b"No headings found" in response.data
    db.session.refresh(round_)
    assert len(round_.sections) == 2


def test_a_round_cannot_open_without_sections(client, admin, make_round):
    round_ = make_round(status="draft", sections=0)
    response = client.post(f"/admin/rounds/{round_.slug}/status/open", follow_redirects=True)
    assert b"at least one section" in response.data
    db.session.refresh(round_)
    assert round_.status == "draft"


def test_status_moves_only_along_allowed_transitions(client, admin, make_round):
    round_ = make_round(status="draft", sections=1)
    client.post(f"/admin/rounds/{round_.slug}/status/reported")
    db.session.refresh(round_)
    assert round_.status == "draft"
    for target in ("open", "closed", "reported"):
        client.post(f"/admin/rounds/{round_.slug}/status/{target}")
        db.session.refresh(round_)
        assert round_.status == target
    assert round_.revisions[0].note == "Text as published for review."
    client.post(f"/admin/rounds/{round_.slug}/status/open")
    db.session.refresh(round_)
    assert round_.status == "reported"


def test_editing_an_open_round_needs_a_note_and_records_a_revision(client, admin, make_round):
    round_ = make_round(status="open", sections=2)
    section = round_.sections[0]
    url = f"/admin/rounds/{round_.slug}/sections/{section.id}"
    refused = client.post(url, data={"heading": "Purpose", "body": "Changed quietly", "note": ""})
    assert refused.status_code == 422 and b"say what changed" in refused.data
    db.session.refresh(section)
    assert section.body == "Body of section 1."
    assert db.session.scalar(select(func.count()).select_from(PolicyRevision)) == 0

    client.post(url, data={"heading": "Purpose", "body": "Changed openly", "note": "Residents asked for clarity"})
    db.session.refresh(round_)
    assert [r.note for r in round_.revisions] == ["Text as published for review.", "Residents asked for clarity"]
    assert round_.revisions[0].sections[0]["body"] == "Body of section 1."
    assert round_.revisions[1].sections[0]["body"] == "Changed openly"


def test_reimporting_an_open_round_keeps_commented_sections(client, admin, make_round, make_comment):
    round_ = make_round(status="open", sections=2)
    make_comment(round_, section_id=round_.sections[1].id)
    client.post(
        f"/admin/rounds/{round_.slug}/import",
        data={"document": "## 1. Heading 1\nNew body", "note": "Dropped section 2", "confirm": "y"},
    )
    db.session.refresh(round_)
    assert [s.heading for s in round_.sections] == ["Heading 1", "Heading 2 (removed)"]
    assert len(round_.revisions) == 2


def test_residents_and_other_staff_cannot_reach_admin_pages(client, make_user, auth, make_round):
    round_ = make_round(status="draft")
    for roles in ([], ["moderator"], ["official"]):
        auth.login(make_user(roles=roles))
        assert client.get("/admin/rounds/").status_code == 403
        assert client.post(f"/admin/rounds/{round_.slug}/status/open").status_code == 403
        auth.logout()
    db.session.refresh(round_)
    assert round_.status == "draft"
    assert client.get("/admin/rounds/").status_code == 302  # anonymous: to the sign-in page


def test_the_round_page_for_admins_points_at_personal_data_in_the_policy_text(client, admin, make_round):
    round_ = make_round(status="draft")
    assert b"look like personal data" not in client.get(f"/admin/rounds/{round_.slug}").data  # nothing found, nothing shown
    round_.sections[1].body = "Questions go to Lt. Maria Okafor-Reyes at m.okafor.reyes@gmail.com."
    db.session.commit()
    page = client.get(f"/admin/rounds/{round_.slug}").get_data(as_text=True)
    assert "2 items look like personal data" in page and '<mark lang="en">m.okafor.reyes@gmail.com</mark>' in page
    assert f'href="/admin/rounds/{round_.slug}/sections/{round_.sections[1].id}">2. Heading 2</a>' in page
