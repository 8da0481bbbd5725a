#!/usr/bin/env bash
# Run the whole test suite (SQLite by default; set TEST_DATABASE_URL for PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
exec python -m pytest "$@"
