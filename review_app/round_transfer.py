"""`flask export-round` / `flask import-round`: one round with everything in it, as one JSON file.

The file holds the round's rows table by table, as stored (original text, personal data, the
moderation log), so it is a backup to keep as carefully as the database. Import gives every row
a new id and rewrites the references between them from the schema's foreign keys, so a round
can go into a database that already holds others. Accounts are matched by email address;
an account missing from the target is created without a password (it can't sign in).
"""

import json
from datetime import date, datetime
from pathlib import Path

import click
from sqlalchemy import Date, DateTime, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from .accounts.models import User
from .analysis.models import Campaign
from .extensions import db
from .reports.models import OutboxMessage
from .rounds.models import Round

FORMAT = "civic-review-round"
VERSION = 1
UNUSABLE_PASSWORD = "!imported"  # not a hash any password matches
# References from a round's rows to another round's (a response review and the plan it reviews):
# a round moves alone, so these are dropped on import and the review becomes a round of its own.
LINKS_TO_OTHER_ROUNDS = {("rounds", "responds_to_id"), ("sections", "action_id")}


class TransferProblem(click.ClickException):
    pass


def _tables() -> list[Table]:
    """The round's tables in an order where every referenced row comes first."""
    keep = []
    for table in db.metadata.sorted_tables:
        if table.name in ("users", "user_roles", "api_tokens", "outbox", "summary_snapshots", "report_files"):
            continue  # accounts are matched by email, the outbox by key; summaries and PDFs are made again
        keep.append(table)
    return keep


def _rows_of(table: Table, round_id: int, comment_ids) -> list[dict]:
    columns = table.c
    if table.name == "rounds":
        condition = columns.id == round_id
    elif "round_id" in columns:
        condition = columns.round_id == round_id
    elif "comment_id" in columns:
        condition = columns.comment_id.in_(comment_ids)
    elif "response_id" in columns:  # an action's progress updates and followers
        responses = db.metadata.tables["theme_responses"].c
        condition = columns.response_id.in_(select(responses.id).where(responses.round_id == round_id))
    else:
        raise RuntimeError(f"{table.name} belongs to no round: say how to export it")
    return [dict(row._mapping) for row in db.session.execute(select(table).where(condition).order_by(columns.id))]


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def export_round(slug: str) -> dict:
    round_ = db.session.scalar(select(Round).where(Round.slug == slug))
    if round_ is None:
        raise TransferProblem(f"no round has the slug {slug!r}")
    comment_ids = select(db.metadata.tables["comments"].c.id).where(db.metadata.tables["comments"].c.round_id == round_.id)
    tables = {table.name: _rows_of(table, round_.id, comment_ids) for table in _tables()}
    user_ids = {row[column.name] for table in _tables() for column in table.c
                if any(key.column.table.name == "users" for key in column.foreign_keys)
                for row in tables[table.name] if row[column.name] is not None}
    user_ids = sorted(user_ids)
    users = [user for start in range(0, len(user_ids), 10_000)  # a query may name only so many values
             for user in db.session.execute(select(User.id, User.email, User.display_name)
                                            .where(User.id.in_(user_ids[start:start + 10_000])))]
    outbox = db.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like(f"report:{round_.id}:%"))).all()
    return {
        "format": FORMAT, "version": VERSION, "exported_at": datetime.now().astimezone().isoformat(),
        "users": [{"id": u.id, "email": u.email, "display_name": u.display_name} for u in users],
        "tables": {name: [{k: _plain(v) for k, v in row.items()} for row in rows] for name, rows in tables.items()},
        # which notices went out, so an imported round never mails a resident twice
        "outbox": [{"key": m.key.split(":", 2)[2], "to_address": m.to_address, "subject": m.subject, "body": m.body,
                    "claimed_at": _plain(m.claimed_at), "sent_at": _plain(m.sent_at), "attempts": m.attempts}
                   for m in outbox],
    }


def _typed(table: Table, row: dict) -> dict:
    """Back from JSON: dates and times are strings in the file."""
    typed = {}
    for name, value in row.items():
        column = table.c[name]
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        typed[name] = value
    return typed


def _account_ids(users: list[dict]) -> dict[int, int]:
    ids = {}
    for user in users:
        existing = db.session.scalar(select(User.id).where(User.email == user["email"]))
        if existing is None:
            account = User(email=user["email"], display_name=user["display_name"], password_hash=UNUSABLE_PASSWORD)
            db.session.add(account)
            db.session.flush()
            existing = account.id
        ids[user["id"]] = existing
    return ids


def import_round(data: dict, slug: str | None = None) -> Round:
    """Insert the round in one transaction: a problem leaves the database as it was."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferProblem("this file is not a Civic Review round export (no 'format': 'civic-review-round')")
    if data.get("version") != VERSION:
        raise TransferProblem(f"this export has version {data.get('version')!r}; this app reads version {VERSION}")
    try:
        return _import(data, slug)
    except TransferProblem:
        db.session.rollback()
        raise
    except IntegrityError as problem:
        db.session.rollback()
        raise TransferProblem(f"rows of this export are in the database already (was it imported before?): {problem.orig}") from problem
    except (KeyError, TypeError, ValueError) as problem:
        db.session.rollback()
        raise TransferProblem(f"the export is incomplete or damaged: {problem!r}") from problem


def _import(data: dict, slug: str | None) -> Round:
    tables = data["tables"]
    [round_row] = tables["rounds"]
    slug = slug or round_row["slug"]
    if db.session.scalar(select(Round.id).where(Round.slug == slug)) is not None:
        raise TransferProblem(f"a round with the slug {slug!r} exists already; choose another with --slug")
    new_ids: dict[str, dict[int, int]] = {"users": _account_ids(data["users"])}
    deferred = []  # (table, column, new row id, old target id): references to rows of the same table
    for table in _tables():
        rows = tables.get(table.name, [])
        new_ids[table.name] = {}
        if not rows:
            continue
        prepared = []
        for row in rows:
            row = _typed(table, dict(row))
            old_id = row.pop("id")
            for column in table.c:
                [target] = [key.column.table.name for key in column.foreign_keys] or [None]
                value = row.get(column.name)
                if target is None or value is None:
                    continue
                if (table.name, column.name) in LINKS_TO_OTHER_ROUNDS:
                    # A response review's link to its policy round's plan: kept only when both came in one file.
                    row[column.name] = new_ids[target].get(value)
                elif target == table.name:
                    deferred.append((table, column.name, old_id, value))
                    row[column.name] = None
                else:
                    row[column.name] = new_ids[target][value]
            if table.name == "rounds":
                row["slug"] = slug
            prepared.append((old_id, row))
        returned = db.session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                      [row for _, row in prepared]).scalars().all()
        new_ids[table.name] = {old: new for (old, _), new in zip(prepared, returned)}
    for table, column, old_id, old_target in deferred:
        db.session.execute(update(table).where(table.c.id == new_ids[table.name][old_id])
                           .values({column: new_ids[table.name][old_target]}))
    _fix_unlinked_references(new_ids)
    round_ = db.session.get(Round, new_ids["rounds"][round_row["id"]])
    for message in data.get("outbox", []):
        db.session.add(OutboxMessage(**{**_typed(OutboxMessage.__table__, message), "key": f"report:{round_.id}:{message['key']}"}))
    db.session.commit()
    return round_


def _fix_unlinked_references(new_ids: dict) -> None:
    """Ids kept without a foreign key: a campaign's first comment, and those frozen in reports."""
    comments, campaigns = new_ids["comments"], new_ids["campaigns"]
    for new in campaigns.values():
        campaign = db.session.get(Campaign, new)
        campaign.first_comment_id = comments[campaign.first_comment_id]
    reports = db.metadata.tables["report_versions"]
    for new in new_ids["report_versions"].values():
        content = json.loads(json.dumps(db.session.scalar(select(reports.c.content).where(reports.c.id == new))))
        for theme in content.get("themes", []):
            theme["quotes"] = [{**quote, "id": comments.get(quote["id"], quote["id"])} for quote in theme.get("quotes", [])]
            if (theme.get("response") or {}).get("id") is not None:  # the tracker finds each action by it
                theme["response"]["id"] = new_ids["theme_responses"].get(theme["response"]["id"])
            theme.pop("draft_feedback", None)  # counts and quotes of another round (the review's): not moved
            theme["campaigns"] = [[campaigns.get(cid, cid), size] for cid, size in theme.get("campaigns", [])]
        content["campaigns"] = [{**c, "id": campaigns.get(c["id"], c["id"])} for c in content.get("campaigns", [])]
        content.pop("review", None)
        db.session.execute(update(reports).where(reports.c.id == new).values(content=content))


@click.command("export-round")
@click.argument("slug")
@click.argument("path", type=click.Path(dir_okay=False))
def export_round_command(slug: str, path: str):
    """Write the round SLUG with everything in it to PATH (JSON; it holds personal data)."""
    target = Path(path)
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file so no export is overwritten.")
    data = export_round(slug)
    partial = target.with_name(target.name + ".part")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.rename(target)  # a crash leaves a .part file, never a half-written export under the real name
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in data["tables"].items() if rows)
    click.echo(f"wrote {target}: {counts}")


@click.command("import-round")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", help="Import under this slug instead of the exported one.")
def import_round_command(path: str, slug: str | None):
    """Add the round exported to PATH to this database, with new ids."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise click.ClickException(f"{path} is not a JSON export: {problem}") from problem
    round_ = import_round(data, slug)
    click.echo(f"imported round {round_.slug!r} (id {round_.id})")
