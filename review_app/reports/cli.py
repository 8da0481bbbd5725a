"""`flask send-notifications`: send the queued report notices, each at most once."""

import click

from .services import send_notifications, smtp_sender


@click.command("send-notifications")
def send_notifications_command():
    """Send queued report notices (SMTP settings from the environment; the log in development)."""
    sent, failed = send_notifications(smtp_sender())
    click.echo(f"sent {sent} notices, {failed} failed (see the outbox table's last_error)")
