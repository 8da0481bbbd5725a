"""`flask send-notifications`: send the queued report notices, each at most once.
`flask check-published`: personal data in what every round has published."""

import click
from flask_babel import force_locale

from ..rounds.services import all_rounds
from .privacy import published_findings
from .services import send_notifications, smtp_sender


@click.command("send-notifications")
def send_notifications_command():
    """Send queued report notices (SMTP settings from the environment; the log in development)."""
    sent, failed = send_notifications(smtp_sender())
    click.echo(f"sent {sent} notices, {failed} failed (see the outbox table's last_error)")


@click.command("check-published")
def check_published_command():
    """List what looks like personal data in every round's published text (report versions, progress
    updates, draft actions), e.g. after upgrading from a release that did not check officials' text.
    Exits with 1 if anything is found; take it out on each round's "Personal data in published text" page."""
    found_any = False
    with force_locale("en"):
        for round_ in all_rounds():
            for f in published_findings(round_):
                found_any = True
                click.echo(f"{round_.slug}: {f.where}: {f.kind}: {f.value}")
    if found_any:
        raise SystemExit(1)
    click.echo("Nothing that looks like personal data in any round's published text.")
