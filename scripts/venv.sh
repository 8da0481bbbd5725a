# Sourced by the other scripts: create .venv once and keep it in step with pyproject.toml.
# VENV_EXTRAS names the optional dependencies to add ("test" in scripts/test.sh); unset, only
# what the app needs to run is installed.
python3 -m venv .venv 2>/dev/null || test -x .venv/bin/python
# shellcheck disable=SC1091
source .venv/bin/activate
stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
extras="${VENV_EXTRAS:-}"
# One stamp per pyproject.toml and extras; the test extras include the app, so their stamp
# also stands for a plain install and switching back to the demo installs nothing.
if [ ! -f "$stamp-${extras:-app}" ] && [ ! -f "$stamp-test" ]; then
  python -m pip install --quiet --upgrade pip
  python -m pip install --quiet -e ".${extras:+[$extras]}"
  touch "$stamp-${extras:-app}"
fi
