"""The officials' summary as a dashboard: overview with stance bars, heatmap matrices with small
counts withheld, filters in the URL, drill-down, "needs review", pinned and dropped quotes, CSV."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import select

from review_app.analysis.models import Campaign, CommentAnalysis
from review_app.comments.models import DemographicAnswer
from review_app.extensions import db
from review_app.reports import services, views
from review_app.reports.charts import WIDTH, heat_level, stacked_bar_layout
from review_app.reports.dashboard import Filters, filtered_summary
from review_app.reports.models import QuoteChoice
from review_app.reports.summary import build_summary
from review_app.timeutil import utcnow

ROOT = Path(__file__).resolve().parents[2]


def tagged(make_comment, round_, themes, stance="unclear", uncertain=None, **values):
    comment = make_comment(round_, **values)
    db.session.add(CommentAnalysis(comment_id=comment.id, themes=themes, theme_scores={t: 0.9 for t in themes},
                                   stance=stance, model_version="test", uncertain=uncertain or []))
    db.session.commit()
    return comment


@pytest.fixture
def dash_round(make_round, make_comment, make_user):
    """Use of force: 7 voices in section 1 (6 from Northside residents, one of them a form letter
    of 3 copies), 6 in section 2, 2 in section 3 (one by paper, ten days ago, supported 9 times)."""
    round_ = make_round(status="closed", sections=3, districts=["Northside", "Riverside"])
    s1, s2, s3 = round_.sections
    northsiders = [make_user() for _ in range(8)]
    for user in northsiders:
        db.session.add(DemographicAnswer(round_id=round_.id, user_id=user.id, district="Northside"))
    campaign = Campaign(round_id=round_.id, first_comment_id=0)
    db.session.add(campaign)
    db.session.commit()
    letters = [tagged(make_comment, round_, ["use_of_force"], "oppose", body=f"Stop it now {i}", section_id=s1.id,
                      campaign_id=campaign.id, author_id=northsiders[i].id) for i in range(3)]
    campaign.first_comment_id = letters[0].id
    for i in range(5):
        tagged(make_comment, round_, ["use_of_force"], "support", body=f"Section one voice {i}", section_id=s1.id,
               author_id=northsiders[3 + i].id)
    tagged(make_comment, round_, ["use_of_force"], "oppose", body="Section one, anonymous", section_id=s1.id)
    for i in range(6):
        tagged(make_comment, round_, ["use_of_force"], "mixed", body=f"Section two voice {i}", section_id=s2.id)
    tagged(make_comment, round_, ["use_of_force"], "support", body="Section three by web", section_id=s3.id)
    tagged(make_comment, round_, ["use_of_force", "community_trust"], "oppose", body="Section three on paper",
           section_id=s3.id, channel="paper", support_count=9, created_at=utcnow() - timedelta(days=10),
           uncertain=["community_trust"])
    return round_


def _row(matrix, theme):
    return next(cells for key, _, cells in matrix["rows"] if key == theme)


# 1. overview -------------------------------------------------------------------------------------

def test_stacked_bar_splits_the_width_in_proportion():
    segments = stacked_bar_layout([("support", "support", 3), ("oppose", "oppose", 0), ("mixed", "mixed", 1)])
    assert [(s.key, s.width) for s in segments] == [("support", 247.5), ("mixed", 82.5)]  # no segment for 0
    assert segments[1].x == 247.5 and sum(s.width for s in segments) == WIDTH
    assert stacked_bar_layout([("support", "support", 0)]) == ()


def test_overview_shows_each_theme_with_voices_comments_supports_and_stance_in_words(client, dash_round, official):
    page = client.get(f"/reports/{dash_round.slug}/summary").text
    row = page[page.index("Themes at a glance"):page.index("Where each theme came up")]
    # 17 comments, the form letter's 3 copies one voice: 15 voices; stance of the voices.
    assert '<td data-label="Voices">15</td>' in row and '<td data-label="Comments">17' in row
    assert '<td data-label="Supports">9</td>' in row
    assert 'class="stance-bar"' in row and "Support 6" in row and "Oppose 3" in row and "Mixed 6" in row
    assert 'aria-labelledby="stance-use_of_force-words"' in row  # the bar is read out by its words
    assert 'class="stance-support" fill="#008817"' in row  # coloured in the briefing PDF too, where CSS stops at the SVG


# 2. matrices -------------------------------------------------------------------------------------

def test_matrices_count_voices_and_withhold_small_counts(dash_round):
    summary = build_summary(dash_round)
    # 7 and 6 voices shown; section 3's 2 withheld, and the next smallest (6) with it.
    assert _row(summary.section_matrix, "use_of_force") == [7, "fewer than 5", "fewer than 5"]
    # 6 Northside voices (the 3-copy letter once), rounded to 5; Riverside's 0 withheld, so Northside too.
    assert _row(summary.district_matrix, "use_of_force") == ["fewer than 5", "fewer than 5"]
    assert _row(summary.section_matrix, "community_trust") == ["fewer than 5"] * 3


def test_district_matrix_rounds_answers_about_residents(make_round, make_comment, make_user):
    round_ = make_round(status="closed", districts=["Northside", "Riverside"])
    for district, count in (("Northside", 7), ("Riverside", 6)):
        for _ in range(count):
            user = make_user()
            db.session.add(DemographicAnswer(round_id=round_.id, user_id=user.id, district=district))
            tagged(make_comment, round_, ["use_of_force"], author_id=user.id)
    assert _row(build_summary(round_).district_matrix, "use_of_force") == [5, 5]


def test_heatmap_cells_print_the_number_link_it_and_never_link_a_withheld_one(client, dash_round, official):
    page = client.get(f"/reports/{dash_round.slug}/summary").text
    table = page[page.index('id="by-section-caption"'):]
    table = table[:table.index("</table>")]
    link = re.search(r'<td class="heat-4"><a href="([^"]+)">7<', table)
    assert link and "theme=" not in link.group(1) and "section=1" in link.group(1)
    assert f"/reports/{dash_round.slug}/themes/use_of_force" in link.group(1)
    assert table.count('<td class="heat-withheld">fewer than 5</td>') == 5  # 2 + 3, none of them links
    assert '<th scope="col">' in table and '<th scope="row">' in table


def test_heat_shades_keep_dark_text_readable():
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    css = (ROOT / "review_app" / "static" / "site.css").read_text()
    shades = dict(re.findall(r"\.heat-(\w+) \{ background: (#[0-9a-f]{6})", css))
    assert set(shades) == {"0", "1", "2", "3", "4", "withheld"}
    for shade in shades.values():
        assert (luminance(shade) + 0.05) / (luminance("#1b1b1b") + 0.05) >= 4.5, shade
    assert [heat_level(v, 8) for v in (0, 1, 2, 5, 8, "fewer than 5")] == [0, 1, 1, 3, 4, 0]


# 3. filters --------------------------------------------------------------------------------------

def test_a_filter_changes_the_counts_and_stays_in_the_url(client, dash_round, official):
    everything = build_summary(dash_round)
    by_paper = filtered_summary(dash_round, Filters(channel="paper"))
    assert (everything.comments, by_paper.comments) == (17, 1)
    assert filtered_summary(dash_round, Filters(section="2")).voices == 6
    assert filtered_summary(dash_round, Filters(stance="support")).comments == 6
    today = utcnow().date()
    assert filtered_summary(dash_round, Filters(date_to=today - timedelta(days=5))).comments == 1
    assert filtered_summary(dash_round, Filters(date_from=today - timedelta(days=5))).comments == 16

    page = client.get(f"/reports/{dash_round.slug}/summary?section=2&stance=mixed").text
    assert '<td data-label="Voices">6</td>' in page and '<option value="2" selected>' in page
    assert '<option value="mixed" selected>' in page
    assert f"/reports/{dash_round.slug}/themes/use_of_force?section=2&amp;stance=mixed" in page  # drill-down keeps them
    assert "summary.csv?section=2&amp;stance=mixed" in page


def test_filters_the_round_does_not_have_are_ignored(dash_round):
    filters = Filters.from_args({"section": "99", "district": "Atlantis", "stance": "angry", "channel": "fax",
                                 "date_from": "yesterday"}, dash_round)
    assert not filters


def test_the_unfiltered_summary_keeps_its_snapshot_and_a_filtered_one_is_not_stored(client, dash_round, official, monkeypatch):
    from review_app.reports import summary as summary_module

    client.get(f"/reports/{dash_round.slug}/summary")
    counted = []
    real = summary_module._compute_summary
    monkeypatch.setattr(summary_module, "_compute_summary", lambda *a, **k: counted.append(a) or real(*a, **k))
    client.get(f"/reports/{dash_round.slug}/summary")
    assert counted == []  # served from the stored snapshot
    snapshot = db.session.get(summary_module.SummarySnapshot, dash_round.id).data
    client.get(f"/reports/{dash_round.slug}/summary?channel=paper")
    db.session.expire_all()
    assert db.session.get(summary_module.SummarySnapshot, dash_round.id).data == snapshot


def _counting(monkeypatch) -> list:
    """Counts the filtered recounts: each call of the summary's compute function from the dashboard."""
    from review_app.reports import dashboard

    counted = []
    real = dashboard._compute_summary
    monkeypatch.setattr(dashboard, "_compute_summary", lambda *a, **k: counted.append(a) or real(*a, **k))
    return counted


def test_a_repeated_filter_is_served_without_a_recount(client, dash_round, official, monkeypatch):
    counted = _counting(monkeypatch)
    first = client.get(f"/reports/{dash_round.slug}/summary?section=2&stance=mixed")
    again = client.get(f"/reports/{dash_round.slug}/summary?stance=mixed&section=2")  # the same filters, spelt otherwise
    csv_numbers = client.get(f"/reports/{dash_round.slug}/summary.csv?section=2&stance=mixed")
    assert len(counted) == 1
    assert '<td data-label="Voices">6</td>' in again.text and first.status_code == again.status_code == 200
    assert "totals,all,voices,6" in csv_numbers.text.replace("\r", "")
    client.get(f"/reports/{dash_round.slug}/summary?section=1")
    assert len(counted) == 2  # other filters: counted


def test_a_new_published_comment_is_counted_in_a_cached_filtered_summary(client, dash_round, official, make_comment,
                                                                        monkeypatch):
    counted = _counting(monkeypatch)
    address = f"/reports/{dash_round.slug}/summary.csv?section=2"
    assert "totals,all,comments,6" in client.get(address).text
    late = tagged(make_comment, dash_round, ["use_of_force"], "mixed", body="A late voice", section_id=dash_round.sections[1].id,
                  status="pending")
    assert "totals,all,comments,6" in client.get(address).text  # pending: counted nowhere yet
    late.status = "published"
    db.session.commit()
    assert "totals,all,comments,7" in client.get(address).text
    assert len(counted) == 3  # both changes of the data moved the stamp


class TestFilteredRecountLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_an_official_may_start_only_a_few_new_filtered_counts_a_minute(self, client, dash_round, official):
        address = f"/reports/{dash_round.slug}/summary"
        days = [(utcnow() - timedelta(days=d)).date().isoformat() for d in range(8)]
        statuses = [client.get(f"{address}?date_from={day}").status_code for day in days]
        assert statuses[:6] == [200] * 6 and statuses[6] == 429
        refused = client.get(f"{address}?date_from={days[7]}")
        assert refused.status_code == 429 and "many different filtered summaries" in refused.text
        assert client.get(f"{address}?date_from={days[0]}").status_code == 200  # one already counted: from the cache
        assert client.get(address).status_code == 200  # and the unfiltered summary is not limited


# 4, 5. drill-down and needs review ------------------------------------------------------------------

def test_drill_down_lists_the_comments_of_a_cell_with_date_section_and_supports(client, dash_round, official):
    page = client.get(f"/reports/{dash_round.slug}/themes/use_of_force?section=3").text
    assert "Section three on paper" in page and "Section three by web" in page and "Section two voice" not in page
    assert "9 supports" in page and ", section 3" in page and utcnow().strftime("%Y") in page
    assert "2 published comments" in page
    stance = client.get(f"/reports/{dash_round.slug}/themes/use_of_force?stance=mixed").text
    assert stance.count("Section two voice") == 6 and "Section one voice" not in stance


def test_districts_are_counted_but_lead_to_no_comments(client, dash_round, official):
    """Residents are told their district is never shown next to their comments: the district matrix
    has no links, there is no district filter, and a district in the URL narrows nothing."""
    page = client.get(f"/reports/{dash_round.slug}/summary").text
    matrix = page[page.index('id="by-district-caption"'):]
    matrix = matrix[:matrix.index("</table>")]
    assert "<a " not in matrix and "Northside" in matrix
    assert 'name="district"' not in page
    main = lambda text: text[text.index("<main"):text.index("</main>")]  # noqa: E731  (the header links back to the URL)
    everyone = main(client.get(f"/reports/{dash_round.slug}/themes/use_of_force").text)
    assert main(client.get(f"/reports/{dash_round.slug}/themes/use_of_force?district=Northside").text) == everyone


def test_uncertain_tags_are_marked_needs_review(client, dash_round, official):
    page = client.get(f"/reports/{dash_round.slug}/themes/community_trust").text
    article = page[page.index("Section three on paper") - 1500:page.index("Section three on paper")]
    assert "needs review" in article and "community trust" in article
    summary = client.get(f"/reports/{dash_round.slug}/summary").text
    assert "1 needs review" in summary


# 6. quotes ---------------------------------------------------------------------------------------

def _choose(client, round_, comment_id, action, theme="use_of_force"):
    return client.post(f"/reports/{round_.slug}/quotes",
                       data={"theme": theme, "comment_id": comment_id, "action": action, "back": "summary"})


def test_quotes_show_date_section_and_supports(client, dash_round, official):
    from review_app.comments.models import Comment

    paper = db.session.scalar(select(Comment).where(Comment.body == "Section three on paper"))
    assert _choose(client, dash_round, paper.id, "pin").status_code == 302
    page = client.get(f"/reports/{dash_round.slug}/summary").text
    section = page[page.index('id="theme-use_of_force"'):page.index('id="sections-heading"')]
    quote = section[section.index("Section three on paper"):][:800]
    assert "pinned" in quote and "section 3" in quote and "9 supports" in quote
    assert (utcnow() - timedelta(days=10)).date().isoformat() in quote


def test_pinned_quotes_lead_the_published_report_and_dropped_ones_never_appear(client, dash_round, official):
    from review_app.comments.models import Comment

    auto = [q["id"] for q in next(t for t in build_summary(dash_round).themes if t.key == "use_of_force").quotes]
    pinned = db.session.scalar(select(Comment.id).where(Comment.body == "Section three on paper"))
    assert pinned not in auto or auto.index(pinned) > 0
    dropped = auto[0] if auto[0] != pinned else auto[1]
    assert _choose(client, dash_round, pinned, "pin").status_code == 302
    assert _choose(client, dash_round, dropped, "drop").status_code == 302
    page = client.get(f"/reports/{dash_round.slug}/summary").text
    assert "quote dropped" in page and "Quote it again" in page

    version = services.publish(dash_round, official, "")
    quotes = [q["id"] for q in next(t for t in version.content["themes"] if t["key"] == "use_of_force")["quotes"]]
    assert quotes[0] == pinned and dropped not in quotes

    assert _choose(client, dash_round, dropped, "clear").status_code == 302  # undone: automatic again
    assert db.session.scalars(select(QuoteChoice.comment_id)).all() == [pinned]


def test_only_officials_choose_quotes_and_only_comments_of_the_round(client, dash_round, make_round, make_comment,
                                                                     make_user, auth):
    other = make_comment(make_round())
    auth.login(make_user(roles=["moderator"]))
    assert "Pin for the report" not in client.get(f"/reports/{dash_round.slug}/summary").text
    assert _choose(client, dash_round, other.id, "pin").status_code == 403
    auth.logout()
    auth.login(make_user(roles=["official"]))
    assert _choose(client, dash_round, other.id, "pin").status_code == 404  # another round's comment
    assert _choose(client, dash_round, other.id, "feature").status_code == 400
    assert db.session.scalars(select(QuoteChoice)).all() == []
    assert "Pin for the report" in client.get(f"/reports/{dash_round.slug}/summary").text


def test_a_cached_summary_gives_each_page_its_own_token_and_shows_a_new_pin(app, client, dash_round, official,
                                                                              monkeypatch):
    from review_app.comments.models import Comment

    app.config["WTF_CSRF_ENABLED"] = True
    monkeypatch.setattr(views, "stored_summary_version", lambda round_: 1.0)  # as with a job queue: cached
    page = client.get(f"/reports/{dash_round.slug}/summary").text
    assert views.CSRF_SLOT not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page[page.index('class="quote-choice"') - 300:]).group(1)
    paper = db.session.scalar(select(Comment.id).where(Comment.body == "Section three on paper"))
    refused = client.post(f"/reports/{dash_round.slug}/quotes", data={"theme": "use_of_force", "comment_id": paper, "action": "pin"})
    assert refused.status_code == 400  # no token
    sent = client.post(f"/reports/{dash_round.slug}/quotes",
                       data={"csrf_token": token, "theme": "use_of_force", "comment_id": paper, "action": "pin"})
    assert sent.status_code == 302
    after = client.get(f"/reports/{dash_round.slug}/summary").text
    assert "Unpin" in after  # the choice is part of the cached page's key


# 7. CSV ------------------------------------------------------------------------------------------

def test_csv_has_the_numbers_behind_every_chart_and_is_formula_safe(client, dash_round, official):
    dash_round.sections[0].heading = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    response = client.get(f"/reports/{dash_round.slug}/summary.csv?channel=paper")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["chart", "row", "column", "value"]
    assert ["filters", "channel", "", "paper"] in rows and ["totals", "all", "comments", "1"] in rows
    everything = list(csv.reader(io.StringIO(client.get(f"/reports/{dash_round.slug}/summary.csv").text)))
    assert ["theme by section", "Use of force", '1. =HYPERLINK("http://x")', "7"] in everything
    assert ["themes", "Use of force", "stance: mixed", "6"] in everything
    assert ["comments by channel", "paper", "comments", "1"] in everything
    assert ["theme by district", "Use of force", "Northside", "fewer than 5"] in everything


def test_csv_cells_that_start_like_formulas_are_neutralised(client, make_round, make_comment, official):
    round_ = make_round(status="closed", districts=["=cmd|' /C calc'!A0", "Riverside"])
    tagged(make_comment, round_, ["use_of_force"])
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/{round_.slug}/summary.csv").text)))
    assert ["residents by district", "'=cmd|' /C calc'!A0", "residents", "fewer than 5"] in rows


def _pdf_text(response) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(response.data)).pages)


def test_the_briefing_pdf_holds_the_filtered_numbers_and_says_which_filters(client, dash_round, official):
    response = client.get(f"/reports/{dash_round.slug}/briefing.pdf?channel=paper")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response)
    assert "Briefing: what residents said" in text and dash_round.title in text
    assert "Channel: paper" in text and "Section three on paper" in text  # its one quote
    assert "Section two voice" not in text  # a web comment, filtered out
    everything = _pdf_text(client.get(f"/reports/{dash_round.slug}/briefing.pdf"))
    assert "Every published comment of the round is counted." in everything and "Channel: paper" not in everything
    summary = client.get(f"/reports/{dash_round.slug}/summary?stance=oppose").get_data(as_text=True)
    assert f"/reports/{dash_round.slug}/briefing.pdf?stance=oppose" in summary


@pytest.mark.parametrize("export", ["summary.csv", "briefing.pdf"])
def test_csv_and_briefing_are_for_staff_only(client, dash_round, make_user, auth, export):
    url = f"/reports/{dash_round.slug}/{export}"
    assert client.get(url).status_code == 302
    auth.login(make_user())
    assert client.get(url).status_code == 403


def test_the_drill_down_comes_in_pages_that_keep_the_filters(client, make_round, make_comment, official, monkeypatch):
    from review_app.reports import views

    monkeypatch.setattr(views, "DRILL_DOWN_PAGE", 2)
    round_ = make_round(status="closed")
    for number in range(5):
        tagged(make_comment, round_, ["use_of_force"], "support", body=f"Paged comment {number}")
    first = client.get(f"/reports/{round_.slug}/themes/use_of_force?stance=support").text
    assert "5 published comments" in first and "Page 1 of 3" in first
    assert "Paged comment 0" in first and "Paged comment 1" in first and "Paged comment 2" not in first
    assert f"/reports/{round_.slug}/themes/use_of_force?page=2&amp;stance=support" in first
    last = client.get(f"/reports/{round_.slug}/themes/use_of_force?stance=support&page=99").text
    assert "Page 3 of 3" in last and "Paged comment 4" in last and "Paged comment 0" not in last



def test_comments_in_other_languages_are_counted_and_those_without_a_theme_are_named(client, dash_round, official,
                                                                                     make_comment, make_user):
    """No comment drops out unseen for its language: the summary counts comments by language and
    says how many in a language the classifiers do not read wait for a person to tag them."""
    from review_app.analysis.models import ThemeCorrection

    def analysed(body, lang, themes):
        comment = make_comment(dash_round, body=body)
        db.session.add(CommentAnalysis(comment_id=comment.id, themes=themes, theme_scores={t: 0.9 for t in themes}, stance="oppose",
                                       model_version="test", lang=lang, needs_human_review=lang not in ("en", "es")))
        db.session.commit()
        return comment

    analysed("No a la llave al cuello, nunca más.", "es", ["use_of_force"])
    somali = analysed("Booliska waa inay joojiyaan xoogga xad-dhaafka ah.", "so", [])
    analysed("Cảnh sát phải dừng lại.", "vi", [])
    page = client.get(f"/reports/{dash_round.slug}/summary").get_data(as_text=True)
    assert "By language: English 17, Spanish 1, other languages 2." in page
    assert "2 comments in other languages have no theme yet" in page
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/{dash_round.slug}/summary.csv").get_data(as_text=True))))
    assert ["comments by language", "Spanish", "comments", "1"] in rows
    assert ["comments by language", "other languages", "without a theme, waiting for a person", "2"] in rows

    db.session.add(ThemeCorrection(comment_id=somali.id, themes=["use_of_force"], stance="oppose",
                                   corrected_by_id=make_user(roles=["moderator"]).id))
    db.session.commit()
    page = client.get(f"/reports/{dash_round.slug}/summary").get_data(as_text=True)
    assert "1 comment in another language has no theme yet" in page


def test_the_stance_filter_in_the_query_reads_stance_as_summaries_do(dash_round, make_comment, make_user):
    """Declared by the resident, corrected by a moderator (the newest correction), read by the
    pipeline, or none: the query keeps exactly the comments labels_for gives the stance."""
    from review_app.analysis.models import ThemeCorrection
    from review_app.analysis.services import labels_for

    moderator = make_user(roles=["moderator"])
    declared = make_comment(dash_round, body="Declared support", stance="support")
    db.session.add(CommentAnalysis(comment_id=declared.id, themes=["use_of_force"], theme_scores={}, stance="oppose", model_version="test"))
    corrected = tagged(make_comment, dash_round, ["use_of_force"], "oppose", body="Corrected twice")
    db.session.add_all([ThemeCorrection(comment_id=corrected.id, themes=["use_of_force"], stance="oppose", corrected_by_id=moderator.id),
                        ThemeCorrection(comment_id=corrected.id, themes=["use_of_force"], stance="support", corrected_by_id=moderator.id)])
    make_comment(dash_round, body="Never read by the pipeline")  # no analysis: unclear
    tagged(make_comment, dash_round, ["use_of_force"], "", body="An empty stance")  # read as unclear
    db.session.commit()
    everyone = labels_for(Filters().comments(dash_round))
    for stance in ("support", "oppose", "mixed", "unclear"):
        kept = {c.id for c in Filters(stance=stance).comments(dash_round)}
        assert kept == {row.comment.id for row in everyone if row.stance == stance}, stance
    assert {declared.id, corrected.id} <= {c.id for c in Filters(stance="support").comments(dash_round)}


def test_a_filter_that_keeps_every_comment_is_the_rounds_own_summary_without_a_recount(client, dash_round, official,
                                                                                       monkeypatch):
    counted = _counting(monkeypatch)
    today = utcnow().date()
    whole = client.get(f"/reports/{dash_round.slug}/summary.csv").text
    everything = client.get(f"/reports/{dash_round.slug}/summary.csv?date_from={(today - timedelta(days=30)).isoformat()}").text
    assert counted == [] and everything.split("\n", 2)[2] == whole.split("\n", 1)[1]  # after the filter's own line
    assert "totals,all,comments,16" in client.get(f"/reports/{dash_round.slug}/summary.csv?channel=web").text
    assert len(counted) == 1  # one comment came on paper: counted
