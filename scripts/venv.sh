# Sourced by the other scripts: create .venv once and keep it in step with pyproject.toml.
python3 -m venv .venv 2>/dev/null || test -x .venv/bin/python
# shellcheck disable=SC1091
source .venv/bin/activate
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  python -m pip install --quiet --upgrade pip
  python -m pip install --quiet -e ".[test]"
  touch "$stamp"
fi
