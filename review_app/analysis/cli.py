"""`flask analyse`: tag every comment the pipeline has not read yet (after a failure, or in bulk)."""

import click

from .services import analyse, unanalysed

BATCH = 500


@click.command("analyse")
def analyse_command():
    """Analyse stored comments that have no analysis yet."""
    total = 0
    while batch := unanalysed(BATCH):
        total += analyse(batch)
        click.echo(f"analysed {total} comments")
    click.echo(f"done: {total} comments analysed")
