"""Registers each area's `flask` commands."""

from flask import Flask


def init_app(app: Flask) -> None:
    from .accounts.cli import (apply_retention_command, create_admin_command, set_password_command,
                               set_role_command)
    from .analysis.cli import analyse_command, export_corrections_command, retag_command
    from .backup import backup_command
    from .demo.loader import seed_demo_command
    from .jobs import worker_command
    from .round_transfer import export_round_command, import_round_command
    from .reports.cli import check_published_command, send_notifications_command

    for command in (create_admin_command, set_role_command, set_password_command, seed_demo_command, analyse_command,
                    export_corrections_command, send_notifications_command, backup_command, retag_command, worker_command,
                    export_round_command, import_round_command, apply_retention_command, check_published_command):
        app.cli.add_command(command)
