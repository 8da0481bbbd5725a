"""`flask analyse` and `flask retag`: run the pipeline over stored comments, with progress."""

import time

import click
from sqlalchemy import select

from ..extensions import db
from ..jobs import BATCH, enqueue_pending, queue
from ..rounds.models import Round
from .services import analyse, mark_for_retagging, pending, pending_count, write_corrections

round_option = click.option("--round", "slug", help="Only this round (its slug); every round without it.")


@click.command("analyse")
@round_option
def analyse_command(slug: str | None):
    """Analyse comments that have no analysis yet or are marked for re-tagging.

    Run it again after an interruption: it resumes with what is still to do."""
    _analyse_pending(_round_id(slug))


@click.command("retag")
@round_option
def retag_command(slug: str | None):
    """Re-tag comments, e.g. after a new model is trained or a round's themes changed."""
    round_id = _round_id(slug)
    marked = mark_for_retagging(round_id)
    click.echo(f"marked {marked} comments for re-tagging; if this stops, `flask analyse` resumes it")
    _analyse_pending(round_id)


def _round_id(slug: str | None) -> int | None:
    if slug is None:
        return None
    round_id = db.session.scalar(select(Round.id).where(Round.slug == slug))
    if round_id is None:
        raise click.BadParameter(f"no round has the slug {slug!r}", param_hint="--round")
    return round_id


def _analyse_pending(round_id: int | None) -> None:
    if queue() is not None:
        total = enqueue_pending(round_id)
        click.echo(f"queued {total} comments for the workers (`flask worker`); progress below, Ctrl-C stops watching only")
        with click.progressbar(length=total, label="analysed") as bar:
            while (left := pending_count(round_id)) > 0:
                bar.update(total - left - bar.pos)
                db.session.rollback()  # end the read transaction so the next count sees the workers' commits
                time.sleep(1)
            bar.update(total - bar.pos)
    else:
        total = pending_count(round_id)
        with click.progressbar(length=total, label="analysing") as bar:
            while batch := pending(round_id, limit=BATCH):
                bar.update(analyse(batch))
    click.echo(f"done: {total} comments analysed")


@click.command("export-corrections")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_corrections_command(path: str):
    """Write moderators' theme corrections as training data for `python -m nlp train --extra PATH`."""
    count = write_corrections(path)
    click.echo(f"wrote {count} corrected comments to {path}")
