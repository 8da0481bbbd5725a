"""Loads the demo rounds from review_app/demo/data/*.json."""

import click


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo rounds if the database has no rounds yet."""
