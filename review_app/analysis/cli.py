"""`flask analyse`: tag every comment the pipeline has not read yet (after a failure, or in bulk)."""

import click

from .services import analyse, unanalysed, write_corrections

BATCH = 500


@click.command("analyse")
def analyse_command():
    """Analyse stored comments that have no analysis yet."""
    total = 0
    while batch := unanalysed(BATCH):
        total += analyse(batch)
        click.echo(f"analysed {total} comments")
    click.echo(f"done: {total} comments analysed")


@click.command("export-corrections")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_corrections_command(path: str):
    """Write moderators' theme corrections as training data for `python -m nlp train --extra PATH`."""
    count = write_corrections(path)
    click.echo(f"wrote {count} corrected comments to {path}")
