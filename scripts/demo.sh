#!/usr/bin/env bash
# Set up everything on a fresh machine and serve Civic Review on http://127.0.0.1:5000 (or
# $PORT: PORT=8080 bash scripts/demo.sh) with the embedded SQLite database and the demo rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh  # the app's own dependencies, no test tools

export CIVIC_ENV="${CIVIC_ENV:-development}"
export CIVIC_TIMEZONE="${CIVIC_TIMEZONE:-America/Chicago}"  # the demo city's clock
export FLASK_APP=wsgi
flask db upgrade
flask seed-demo --with-staff
exec flask run --host 127.0.0.1 --port "${PORT:-5000}"
