"""`flask backup FILE`: a consistent copy of the SQLite database, taken with SQLite's backup API.

Copying the file of a live database in WAL mode can produce a corrupt or stale copy; the
backup API copies pages under SQLite's own locking. PostgreSQL has pg_dump for this.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

import click

from .extensions import db


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path: str):
    """Write a consistent copy of the SQLite database to PATH."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        raise click.ClickException("This database is not SQLite: use pg_dump (e.g. pg_dump -Fc DATABASE > file.dump).")
    target = Path(path)
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file so no backup is overwritten.")
    source = engine.raw_connection()
    try:
        with closing(sqlite3.connect(target)) as copy:
            source.driver_connection.backup(copy)
    finally:
        source.close()
    click.echo(f"backed up the database to {target}")
