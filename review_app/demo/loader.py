"""`flask seed-demo`: load the demo rounds from review_app/demo/data/*.json into an empty database.

Each file holds one round: its settings, its policy as Markdown, the demo residents and their
comments (with replies, supports and statuses). Demo residents cannot sign in: their password
hash is a marker that no password matches.
"""

import json
import os
import random
import secrets
from datetime import date, timedelta
from pathlib import Path

import click
from flask_babel import force_locale
from sqlalchemy import select

from ..accounts import services as accounts
from ..accounts.models import Role, User
from ..accounts.passwords import password_problem
from ..analysis.services import analyse
from ..comments.models import Comment, CommentStatus, DemographicAnswer, Support
from ..comments.services import new_receipt
from ..extensions import db
from ..reports import actions, services as reports
from ..reports.models import ThemeResponse
from ..rounds.importer import split_policy
from ..rounds.models import Round, Section
from ..timeutil import utcnow

DATA_DIR = Path(__file__).parent / "data"
UNUSABLE_PASSWORD = "!demo-account-cannot-sign-in"
STAFF = {
    "admin": (Role.ADMIN, "Demo Admin"),
    "moderator": (Role.MODERATOR, "Demo Moderator"),
    "official": (Role.OFFICIAL, "Demo Official"),
}
STAFF_DOMAIN = "demo.civic-review.invalid"


def data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


def _resident_accounts(residents: list[dict]) -> dict[str, User]:
    accounts_by_key = {}
    for resident in residents:
        email = f"{resident['key']}@{STAFF_DOMAIN}"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, display_name=resident["display_name"], password_hash=UNUSABLE_PASSWORD)
            db.session.add(user)
        accounts_by_key[resident["key"]] = user
    db.session.flush()
    return accounts_by_key


def load_round(data: dict) -> Round:
    """Create one round with everything in it; the caller commits."""
    now = utcnow()
    spec = data["round"]
    round_ = Round(
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        department=spec["department"],
        status=spec["status"],
        moderation_mode=spec["moderation_mode"],
        allow_anonymous=spec["allow_anonymous"],
        opens_at=now - timedelta(days=spec["opens_days_ago"]),
        closes_at=now + timedelta(days=spec["closes_in_days"]),
        report_expected_at=now + timedelta(days=spec["report_expected_in_days"]),
        districts=spec.get("districts", []),
        district_population=spec.get("district_population", {}),
        ask_age_band=spec.get("ask_age_band", True),
        ask_relationship=spec.get("ask_relationship", True),
    )
    round_.sections = [
        Section(position=i, number=part.number, heading=part.heading, body=part.body)
        for i, part in enumerate(split_policy(data["policy_markdown"]), start=1)
    ]
    db.session.add(round_)
    db.session.flush()
    residents = _resident_accounts(data.get("residents", []))
    _answer_demographics(round_, data.get("residents", []), residents)
    _add_comments(round_, data.get("comments", []), residents, now)
    return round_


def _answer_demographics(round_: Round, specs: list[dict], residents: dict[str, User]) -> None:
    for spec in specs:
        db.session.add(
            DemographicAnswer(
                round_id=round_.id,
                user_id=residents[spec["key"]].id,
                district=spec.get("district"),
                age_band=spec.get("age_band"),
                relationship_to_city=spec.get("relationship"),
            )
        )


def _add_comments(round_: Round, specs: list[dict], residents: dict[str, User], now) -> None:
    sections = {s.number: s for s in round_.sections}
    supporters = list(residents.values())
    rng = random.Random(round_.slug)  # the same demo every time
    by_key: dict[str, Comment] = {}
    for spec in specs:
        parent = by_key.get(spec["reply_to"]) if spec.get("reply_to") else None
        author = residents.get(spec["author"]) if spec.get("author") else None
        created = now - timedelta(days=spec["days_ago"], minutes=rng.randint(0, 600))
        if parent is not None and created <= parent.created_at:
            created = parent.created_at + timedelta(minutes=rng.randint(5, 300))
        comment = Comment(
            round_id=round_.id,
            section_id=parent.section_id if parent else (sections[spec["section"]].id if spec.get("section") else None),
            parent_id=parent.id if parent else None,
            thread_id=(parent.thread_id if parent else None),
            depth=parent.depth + 1 if parent else 0,
            author_id=author.id if author else None,
            display_name=None if author else spec.get("display_name"),
            body=spec["text"],
            stance=spec.get("stance"),
            status=spec["status"],
            receipt=new_receipt(),
            created_at=created,
            updated_at=created,
            published_at=created if spec["status"] in (CommentStatus.PUBLISHED, CommentStatus.HIDDEN) else None,
        )
        db.session.add(comment)
        db.session.flush()
        comment.thread_id = comment.thread_id or comment.id
        by_key[spec["key"]] = comment
        if spec["status"] == CommentStatus.PUBLISHED:
            backers = [u for u in supporters if author is None or u.id != author.id]
            chosen = rng.sample(backers, min(spec.get("supports", 0), len(backers)))
            db.session.add_all(Support(comment_id=comment.id, user_id=u.id, created_at=created) for u in chosen)
            comment.support_count = len(chosen)


def _response_values(values: dict) -> dict:
    target = values.get("target_date")
    return {**values, "target_date": date.fromisoformat(target) if target else None}


def publish_report(round_: Round, spec: dict, residents: list[dict] = ()):
    """The city's responses per theme, then the report published (as the first version); with a
    response review, the draft first, residents' comments on it, the final plan and progress."""
    review = spec.get("response_review")
    for theme, values in spec["responses"].items():
        if review:  # the draft: the final answer as first written, with its measure of success
            values = {**values, **review["measures"].get(theme, {}), **review["draft"].get(theme, {})}
        db.session.add(ThemeResponse(round_id=round_.id, theme=theme, **_response_values(values)))
    db.session.flush()
    if not review:
        return reports.publish(round_, None, spec.get("change_note", ""))
    return _review_then_publish(round_, spec, review, _resident_accounts(list(residents)))


def _review_then_publish(round_: Round, spec: dict, review: dict, residents: dict[str, User]):
    """Residents review the draft, the official finalises it with reasons, then posts progress;
    dated as if it happened over the past weeks."""
    now = utcnow()
    review_round = actions.open_review(round_, None, now.date() + timedelta(days=14))
    draft = reports.versions(round_)[0]
    review_round.opens_at = draft.published_at = now - timedelta(days=review["opened_days_ago"])
    plan = reports.responses(round_)
    theme_of = {response.id: theme for theme, response in plan.items()}
    number_of = {theme_of[s.action_id]: s.number for s in review_round.sections}
    _add_comments(review_round, [{**c, "section": number_of[c["action"]]} for c in review["comments"]], residents, now)
    db.session.flush()
    analyse(list(db.session.scalars(select(Comment).where(Comment.round_id == review_round.id))))
    for theme, change in review["final"].items():
        final = {**spec["responses"][theme], **review["measures"].get(theme, {}), **change}
        for name, value in _response_values(final).items():
            setattr(plan[theme], name, value)
    version = reports.publish(round_, None, review["change_note"])
    review_round.closes_at = now - timedelta(days=review["closed_days_ago"])
    version.published_at = now - timedelta(days=review["final_days_ago"])
    for stored in (draft, version):
        stored.content = {**stored.content, "review": actions.review_facts(review_round)}
    for spec_update in review["updates"]:
        measured = spec_update.get("measured_days_ago")
        update = actions.post_update(round_, plan[spec_update["action"]].id, None, {
            "body": spec_update["body"], "status": spec_update["status"], "indicator_value": spec_update.get("indicator_value", ""),
            "measured_on": (now - timedelta(days=measured)).date() if measured is not None else None,
            "milestone": spec_update.get("milestone", "")}, None)
        update.posted_at = now - timedelta(days=spec_update["days_ago"])
    db.session.commit()
    return version


def _create_staff(password: str) -> list[str]:
    created = []
    for name, (role, display_name) in STAFF.items():
        email = f"{name}@{STAFF_DOMAIN}"
        user = accounts.find_user_by_email(email) or accounts.create_account(email, display_name, password)
        accounts.set_role(user, role, granted=True)
        created.append(email)
    return created


@click.command("seed-demo")
@click.option("--with-staff", is_flag=True, help="Also create admin, moderator and official accounts to try the app.")
def seed_demo_command(with_staff: bool):
    """Load the demo rounds if the database has no rounds yet."""
    if db.session.scalar(select(Round.id).limit(1)) is not None:
        click.echo("Demo not loaded: the database already has rounds.")
        return
    for path in data_files():
        round_ = load_round(json.loads(path.read_text(encoding="utf-8")))
        db.session.commit()
        click.echo(f"Loaded {round_.title} ({round_.status}).")
    analysed = analyse(list(db.session.scalars(select(Comment))))
    click.echo(f"Analysed {analysed} comments (themes, stance, personal data, campaigns).")
    for path in data_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        if "report" in data:
            round_ = db.session.scalar(select(Round).where(Round.slug == data["round"]["slug"]))
            version = publish_report(round_, data["report"], data.get("residents", []))
            click.echo(f"Published version {version.number} of the report on {round_.title}.")
    if with_staff:
        password = os.environ.get("DEMO_STAFF_PASSWORD") or secrets.token_urlsafe(12)
        with force_locale("en"):  # no request to choose a language
            problem = password_problem(password)
        if problem:
            raise click.ClickException(f"DEMO_STAFF_PASSWORD refused: {problem}")
        emails = _create_staff(password)
        click.echo("Staff accounts for trying the app (this password is shown once):")
        for email in emails:
            click.echo(f"  {email}")
        click.echo(f"  password: {password}")
