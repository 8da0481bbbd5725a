#!/usr/bin/env bash
# Run the whole test suite (SQLite by default; set TEST_DATABASE_URL for PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_EXTRAS=test source scripts/venv.sh  # the app and the test tools
exec python -m pytest "$@"
