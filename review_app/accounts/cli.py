"""`flask create-admin`, `flask set-role` and `flask set-password`: there is no default admin, one
is made on purpose."""

import sys

import click
from flask import current_app
from flask_babel import force_locale
from flask.cli import with_appcontext

from . import data_rights, services
from .models import Role
from .passwords import password_problem


def _read_password(from_stdin: bool) -> str:
    """One line from standard input (for scripts), else typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_admin_command(email: str, display_name: str, password_stdin: bool):
    """Create an admin account, asking for its password."""
    password = _read_password(password_stdin)
    with force_locale("en"):  # messages in English: there is no request to choose a language
        problem = password_problem(password, [email, display_name])
        if problem:
            raise click.ClickException(f"Password refused: {problem}")
        try:
            user = services.create_account(email, display_name, password)
        except services.AccountError as error:
            raise click.ClickException(str(error))
    services.set_role(user, Role.ADMIN, granted=True)
    click.echo(f"Admin account {user.email} created.")


@click.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([str(r) for r in services.STAFF_ROLES]))
@click.option("--revoke", is_flag=True, help="Take the role away instead of granting it.")
def set_role_command(email: str, role: str, revoke: bool):
    """Grant (or with --revoke, take away) a staff role."""
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email address {email}.")
    services.set_role(user, Role(role), granted=not revoke)
    click.echo(f"{user.email}: {'revoked' if revoke else 'granted'} {role}.")


@click.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password_command(email: str, password_stdin: bool):
    """Set an account's password again (e.g. a demo staff account's), signing it out everywhere."""
    user = services.find_user_by_email(email)
    if user is None or user.erased_at is not None:
        raise click.ClickException(f"No account with the email address {email}.")
    password = _read_password(password_stdin)
    with force_locale("en"):
        problem = password_problem(password, [user.email, user.display_name])
    if problem:
        raise click.ClickException(f"Password refused: {problem}")
    services.set_password(user, password)
    click.echo(f"Password set for {user.email}; its sessions have ended.")


@click.command("apply-retention")
@click.option("--days", type=int, default=None, help="Override CIVIC_RETENTION_DAYS for this run.")
@with_appcontext
def apply_retention_command(days: int | None):
    """Drop contact emails, sent notices and withdrawn comments' text N days after a round's report (run it from cron)."""
    days = current_app.config["RETENTION_DAYS"] if days is None else days
    if days < 0:
        raise click.UsageError("--days must be 0 or more.")
    counts = data_rights.apply_retention(days)
    click.echo(f"{counts['rounds']} rounds past {days} days: {counts['emails']} contact emails, {counts['notices']} notices "
               f"and {counts['withdrawn_texts']} withdrawn comments' texts dropped.")
