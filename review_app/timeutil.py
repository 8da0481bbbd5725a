"""Time helpers: the database stores naive UTC datetimes on every backend; residents and staff
read and type times in the city's own time zone (CIVIC_TIMEZONE, an IANA name such as
America/Chicago; UTC by default)."""

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def utcnow() -> datetime:
    """Return the current UTC time without tzinfo, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def city_zone() -> ZoneInfo:
    return _zone(current_app.config.get("TIMEZONE", "UTC") if has_app_context() else "UTC")


def local(value: datetime) -> datetime:
    """A stored time (naive UTC) as the city's clock shows it (aware: its tzname() names the zone)."""
    return value.replace(tzinfo=UTC).astimezone(city_zone())


def from_local(value: datetime) -> datetime:
    """A time typed on the city's clock (naive), as stored: naive UTC. A time a clock change skips
    or repeats is read as zoneinfo reads it (the earlier one)."""
    return value.replace(tzinfo=city_zone()).astimezone(UTC).replace(tzinfo=None)


def city_today() -> date:
    return local(utcnow()).date()
