"""Residents and staff read and type times on the city's clock (CIVIC_TIMEZONE); the database keeps UTC."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from review_app import create_app
from review_app.extensions import db
from review_app.reports import actions
from review_app.reports.models import ThemeResponse
from review_app.rounds.models import Round
from review_app.templating import format_date, format_datetime
from review_app.timeutil import city_today, from_local, local, utcnow

from .test_round_admin import ROUND_FORM


@pytest.fixture
def app_config():
    return {"TIMEZONE": "America/Chicago"}


def test_times_are_shown_on_the_citys_clock_with_its_zone(app):
    with app.test_request_context():
        assert format_datetime(datetime(2026, 12, 16, 5, 0)) == "15 December 2026, 23:00 CST"  # stored in UTC
        assert format_datetime(datetime(2026, 7, 1, 17, 30)) == "1 July 2026, 12:30 CDT"  # summer time
        assert format_date(datetime(2026, 12, 16, 5, 0)) == "15 December 2026"  # the day it was in the city
        assert format_date(date(2026, 12, 16)) == "16 December 2026"  # a day is a day


def test_the_round_page_counts_days_and_shows_the_close_in_city_time(client, make_round):
    closes = from_local(datetime.combine(city_today() + timedelta(days=2), time(23, 0)))  # the next UTC day
    round_ = make_round(closes_at=closes)
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "Closes in 2 days" in page and f"23:00 {local(closes).tzname()}" in page and "UTC" not in page


def test_admins_type_round_times_on_the_citys_clock(client, admin):
    response = client.post("/admin/rounds/new", data={**ROUND_FORM, "opens_at": "2027-01-10T09:00", "closes_at": "2027-02-10T17:00"})
    assert response.status_code == 302
    round_ = db.session.scalar(select(Round))
    assert (round_.opens_at, round_.closes_at) == (datetime(2027, 1, 10, 15, 0), datetime(2027, 2, 10, 23, 0))
    form = client.get(f"/admin/rounds/{round_.slug}/edit").get_data(as_text=True)
    assert 'value="2027-01-10T09:00"' in form and "Opens (America/Chicago)" in form  # shown back as typed


def test_a_draft_response_review_ends_at_midnight_in_the_city(app, make_round, make_user):
    round_ = make_round(status="closed", closes_at=utcnow() - timedelta(days=1))
    db.session.add(ThemeResponse(round_id=round_.id, theme="use_of_force", what_we_heard="Heard.", what_we_will_do="Act."))
    db.session.commit()
    last_day = date(utcnow().year + 1, 1, 20)  # in winter: Chicago is 6 hours behind UTC
    review = actions.open_review(round_, make_user(roles=["official"]), last_day)
    assert review.closes_at == datetime(last_day.year, 1, 21, 6, 0)  # midnight after the last day, in Chicago
    assert actions.review_facts(review)["last_day"] == last_day.isoformat()


def test_an_unknown_time_zone_stops_the_app_with_a_clear_message(_schema):
    with pytest.raises(RuntimeError, match="CIVIC_TIMEZONE='Mars/Olympus' is no time zone"):
        create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": _schema, "TIMEZONE": "Mars/Olympus"})
