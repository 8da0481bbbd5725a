"""`flask create-admin` and `flask set-role`."""

import click


@click.command("create-admin")
def create_admin_command():
    """Create an admin account (there is no default admin)."""


@click.command("set-role")
def set_role_command():
    """Grant or revoke a staff role."""
