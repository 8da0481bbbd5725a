"""`flask backup`: a consistent copy of a live SQLite database."""

import sqlite3
from contextlib import closing


def test_backup_copies_every_comment_of_a_live_database(app, runner, make_round, make_comment, tmp_path, database_url):
    if not database_url.startswith("sqlite"):
        result = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    round_ = make_round()
    for i in range(5):
        make_comment(round_, body=f"comment {i}")
    target = tmp_path / "copy.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT count(*) FROM comments").fetchone()[0] == 5
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output


