"""The response plan as one form, its preview, the confirmed publication, diffs between versions
and the notices a later change of status sends."""

import pytest
from sqlalchemy import func, select

from review_app.analysis.models import CommentAnalysis
from review_app.comments.models import CommentContact
from review_app.extensions import db
from review_app.reports import services
from review_app.reports.models import OutboxMessage, ReportVersion, ThemeResponse

THEMES = ("use_of_force", "budget_reinvestment", "community_trust")


@pytest.fixture
def round_(make_round, make_comment):
    """A closed round with one comment on each of three themes."""
    round_ = make_round(status="closed")
    for theme in THEMES:
        comment = make_comment(round_, body=f"Words about {theme}.")
        db.session.add(CommentAnalysis(comment_id=comment.id, themes=[theme], theme_scores={theme: 0.9},
                                       stance="unclear", model_version="test"))
    db.session.commit()
    return round_


def answer(theme, **changes):
    values = {"what_we_heard": f"Heard on {theme}.", "what_we_will_do": f"We will act on {theme}.", "status": "planned",
              "reason": "", "department": "Police", "target_date": "2027-01-31", "policy_link": ""}
    values.update(changes)
    return {f"{theme}-{name}": value for name, value in values.items()}


def plan(*answers):
    return {key: value for a in answers for key, value in a.items()}


def publish(client, round_, note="First publication.", number=1, **kwargs):
    return client.post(f"/reports/{round_.slug}/publish", data={"change_note": note, "version": number}, **kwargs)


def saved(round_):
    return services.responses(round_)


def test_one_form_holds_every_theme_and_one_save_stores_them_all(client, official, round_):
    page = client.get(f"/reports/{round_.slug}/plan").get_data(as_text=True)
    form = page.split('id="plan-form"', 1)[1].split("</form>", 1)[0]
    for theme in THEMES:
        assert f'name="{theme}-what_we_will_do"' in form and f'name="{theme}-status"' in form
    assert form.count('type="submit"') == 1 and 'value="Save all themes"' in form

    response = client.post(f"/reports/{round_.slug}/plan", data=plan(*(answer(t) for t in THEMES)))

    assert response.status_code == 302
    stored = saved(round_)
    assert {t: stored[t].what_we_will_do for t in THEMES} == {t: f"We will act on {t}." for t in THEMES}
    assert stored["use_of_force"].department == "Police" and str(stored["use_of_force"].target_date) == "2027-01-31"


def test_an_error_in_one_theme_saves_nothing_and_keeps_every_themes_text(client, official, round_):
    typed = plan(answer("use_of_force", status="not adopted", what_we_will_do=""),
                 answer("budget_reinvestment", what_we_will_do="Unsaved words <b>kept</b>."),
                 answer("community_trust", policy_link="javascript:alert(1)"))

    response = client.post(f"/reports/{round_.slug}/plan", data=typed)

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and saved(round_) == {}
    assert "Nothing was saved" in page
    assert "Unsaved words &lt;b&gt;kept&lt;/b&gt;." in page  # kept, and escaped
    assert 'href="#use_of_force-reason"' in page and 'href="#community_trust-policy_link"' in page
    assert 'data-unsaved="true"' in page  # the script warns before leaving a page holding unsaved text


def test_not_adopted_needs_a_reason_which_the_public_reads(app, client, official, round_):
    refused = client.post(f"/reports/{round_.slug}/plan", data=answer("use_of_force", status="not adopted", what_we_will_do=""))
    assert "Say why it is not adopted" in refused.get_data(as_text=True) and saved(round_) == {}

    client.post(f"/reports/{round_.slug}/plan",
                data=answer("use_of_force", status="not adopted", what_we_will_do="", reason="The state law requires it."))
    assert saved(round_)["use_of_force"].reason == "The state law requires it."
    publish(client, round_)
    report = app.test_client().get(f"/rounds/{round_.slug}/report").get_data(as_text=True)
    assert "Why it is not adopted" in report and "The state law requires it." in report


def test_a_theme_not_in_the_post_is_left_as_it_was(client, official, round_):
    client.post(f"/reports/{round_.slug}/plan", data=plan(*(answer(t) for t in THEMES)))
    client.post(f"/reports/{round_.slug}/plan", data=answer("use_of_force", what_we_will_do="Changed."))
    stored = saved(round_)
    assert stored["use_of_force"].what_we_will_do == "Changed."
    assert stored["community_trust"].what_we_will_do == "We will act on community_trust."


def test_the_preview_counts_and_lists_the_unanswered_themes_and_publishes_nothing(client, official, round_):
    client.post(f"/reports/{round_.slug}/plan", data=plan(answer("use_of_force"),
                                                          answer("budget_reinvestment", what_we_will_do="")))

    page = client.get(f"/reports/{round_.slug}/publish").get_data(as_text=True)

    assert "2 of 3 themes have no answer yet" in page
    assert "#theme-budget_reinvestment" in page and "#theme-community_trust" in page and "#theme-use_of_force" not in page
    assert "We will act on use_of_force." in page  # the report as it would be published
    assert "Publish version 1" in page and 'name="version" type="hidden" value="1"' in page
    assert page.count("<h1") == 1 and "<h2>What we heard and what we will do:" in page  # the report's headings a level down
    assert db.session.scalar(select(func.count()).select_from(ReportVersion)) == 0


def test_publishing_needs_the_confirmation_post_with_a_note_and_the_previewed_number(client, official, round_):
    def count():
        return db.session.scalar(select(func.count()).select_from(ReportVersion))

    assert client.post(f"/reports/{round_.slug}/publish", data={"change_note": "First publication."}).status_code == 400
    assert "Write a change note" in publish(client, round_, note="  ").get_data(as_text=True)
    assert count() == 0

    assert publish(client, round_).status_code == 302
    assert count() == 1
    stale = publish(client, round_, follow_redirects=True)  # a second click on the same preview
    assert "was published since your preview" in stale.get_data(as_text=True) and count() == 1
    publish(client, round_, note="Answers added", number=2)
    assert [v.change_note for v in services.versions(round_)] == ["Answers added", "First publication."]


def test_two_officials_publishing_at_once_get_a_message_not_a_500(client, official, round_, monkeypatch):
    assert publish(client, round_).status_code == 302
    # The colleague's version 1 is committed between this request's check and its own commit.
    monkeypatch.setattr(services, "versions", lambda _round: [])
    page = publish(client, round_, follow_redirects=True)
    assert page.status_code == 200 and "Another official published version 1 just now" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReportVersion)) == 1


def test_each_version_shows_what_changed_since_the_last_one(app, client, official, round_):
    client.post(f"/reports/{round_.slug}/plan", data=plan(*(answer(t) for t in THEMES)))
    publish(client, round_)
    client.post(f"/reports/{round_.slug}/plan", data=plan(
        answer("use_of_force", what_we_will_do="We will act on use_of_force <i>before</i> March.", status="in progress"),
        answer("budget_reinvestment"), answer("community_trust")))
    preview = client.get(f"/reports/{round_.slug}/publish").get_data(as_text=True)
    assert "What changed in the city's answers since version 1" in preview
    publish(client, round_, note="Dates", number=2)

    public = app.test_client()
    latest = public.get(f"/rounds/{round_.slug}/report").get_data(as_text=True)
    assert "<del><span class=\"usa-sr-only\">Removed: </span>use_of_force.</del>" in latest
    assert "<ins><span class=\"usa-sr-only\">Added: </span>use_of_force &lt;i&gt;before&lt;/i&gt; March.</ins>" in latest
    assert "Added: </span>In progress" in latest or "Added: </span>in progress" in latest
    assert "Budget" not in latest.split("What changed in the city")[1].split("</details>")[0]  # unchanged themes left out
    assert "What changed in the city" not in public.get(f"/rounds/{round_.slug}/report/v1").get_data(as_text=True)


def test_the_word_diff_marks_only_the_changed_words():
    old = {"themes": [{"key": "t", "label": "T", "response": {"what_we_will_do": "Ban them by March.", "status": "planned"}}]}
    new = {"themes": [{"key": "t", "label": "T", "response": {"what_we_will_do": "Ban them by June.", "status": "planned"}}]}
    [theme] = services.version_diff(old, new)
    [field] = theme["fields"]
    assert field["name"] == "what_we_will_do"
    assert field["chunks"] == [("same", "Ban them by "), ("del", "March."), ("ins", "June.")]
    assert services.version_diff(None, new) is None and services.version_diff(new, new) == []


def test_a_later_change_of_status_notifies_each_subscriber_once(app, client, official, round_, make_comment):
    for email in ("a@example.org", "a@example.org", "b@example.org"):
        db.session.add(CommentContact(comment_id=make_comment(round_).id, email=email))
    db.session.commit()
    client.post(f"/reports/{round_.slug}/plan", data=plan(*(answer(t) for t in THEMES)))
    publish(client, round_)
    client.post(f"/reports/{round_.slug}/plan", data=answer("use_of_force", what_we_will_do="Reworded only."))
    publish(client, round_, note="Wording", number=2)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2  # the first report's notices only

    client.post(f"/reports/{round_.slug}/plan", data=answer("use_of_force", what_we_will_do="Reworded only.", status="done"))
    publish(client, round_, note="Done", number=3)

    notices = db.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like(f"report:{round_.id}:v3:%"))).all()
    assert sorted(n.to_address for n in notices) == ["a@example.org", "b@example.org"]
    assert all("Use of force: planned \u2192 done" in n.body and f"/rounds/{round_.slug}/report/v3" in n.body for n in notices)
    version = services.versions(round_)[0]
    with app.test_request_context():
        services._queue_status_notices(round_, version, [("Use of force", "planned", "done")])  # again: idempotent
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 4


def test_a_resident_who_wrote_in_spanish_is_written_to_in_spanish(client, official, round_, make_comment):
    for email, lang in (("ana@example.org", "es"), ("bo@example.org", "en")):
        comment = make_comment(round_)
        db.session.add(CommentContact(comment_id=comment.id, email=email))
        db.session.add(CommentAnalysis(comment_id=comment.id, lang=lang, model_version="test"))
    db.session.commit()
    client.post(f"/reports/{round_.slug}/plan", data=plan(*(answer(t) for t in THEMES)))
    publish(client, round_)
    client.post(f"/reports/{round_.slug}/plan", data=answer("use_of_force", status="done"))
    publish(client, round_, note="Done", number=2)

    def notices(to):
        return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to).order_by(OutboxMessage.id)).all()

    first, progress = notices("ana@example.org")
    assert first.subject.startswith("El informe de la ciudad sobre") and "Usted coment\u00f3" in first.body
    assert f"/language/es?next=/rounds/{round_.slug}/report" in first.body
    assert "Uso de la fuerza: previsto \u2192 hecho" in progress.body
    assert f"/language/es?next=/rounds/{round_.slug}/report/v2" in progress.body
    english = notices("bo@example.org")
    assert english[0].subject.startswith("The city's report on") and "Use of force: planned \u2192 done" in english[1].body


def test_a_status_only_renamed_by_the_migration_is_no_change():
    old = {"themes": [{"key": "t", "label": "T", "response": {"status": "adopted"}},
                      {"key": "u", "label": "U", "response": {"status": "under review"}}]}
    new = {"themes": [{"key": "t", "label": "T", "response": {"status": "planned"}},
                      {"key": "u", "label": "U", "response": None}]}
    assert services.status_changes(old, new) == []


def test_saving_an_unchanged_theme_keeps_who_last_changed_it(client, official, round_, make_user, auth):
    client.post(f"/reports/{round_.slug}/plan", data=plan(*(answer(t) for t in THEMES)))
    colleague = make_user(roles=["official"])
    auth.login(colleague)
    client.post(f"/reports/{round_.slug}/plan", data=plan(answer("use_of_force", what_we_will_do="Changed."),
                                                          answer("budget_reinvestment"), answer("community_trust")))
    by = {row.theme: row.updated_by_id for row in db.session.scalars(select(ThemeResponse))}
    assert by == {"use_of_force": colleague.id, "budget_reinvestment": official.id, "community_trust": official.id}


def form_values(page: str) -> dict:
    """What a browser would post from the plan form, untouched."""
    from html.parser import HTMLParser

    values, state = {}, {}

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("type") not in ("submit",) and "name" in a:
                values[a["name"]] = a.get("value") or ""
            elif tag in ("textarea", "select") and "name" in a:
                state["field"] = a["name"]
                values[a["name"]] = ""
            elif tag == "option" and "selected" in a:
                values[state["field"]] = a.get("value", "")

        def handle_data(self, data):
            if state.get("field") and self.lasttag == "textarea":
                values[state["field"]] += data

        def handle_endtag(self, tag):
            if tag == "textarea":  # as browsers do, the newline just after <textarea> is not content
                values[state["field"]] = values[state["field"]].removeprefix("\r\n").removeprefix("\n")
            if tag in ("textarea", "select"):
                state["field"] = None

    Reader().feed(page.split('id="plan-form"', 1)[1].split("</form>", 1)[0])
    return values


def test_themes_left_as_first_drafted_are_not_saved_and_stay_unanswered(client, official, round_):
    values = form_values(client.get(f"/reports/{round_.slug}/plan").get_data(as_text=True))
    assert "residents' comments were about use of force" in values["use_of_force-what_we_heard"]
    values["use_of_force-what_we_will_do"] = "An answer."

    client.post(f"/reports/{round_.slug}/plan", data=values)

    assert set(saved(round_)) == {"use_of_force"}
    page = client.get(f"/reports/{round_.slug}/publish").get_data(as_text=True)
    assert "2 of 3 themes have no answer yet" in page
