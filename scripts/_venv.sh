# Shared by scripts/*: make .venv on first use and install the project into it.
# Sourced, not run. EXTRAS may be set to "dev".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "creating .venv…" >&2
    "$PY" -m venv .venv
fi
stamp=".venv/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "installing ucc-bot${EXTRAS:+ with its $EXTRAS tools} into .venv…" >&2
    # setuptools' notes on editable installs are for package authors, not for this screen
    export PYTHONWARNINGS=ignore
    .venv/bin/python -m pip install -qq --upgrade pip >/dev/null
    .venv/bin/python -m pip install -qq -e ".${EXTRAS:+[$EXTRAS]}"  # errors only
    unset PYTHONWARNINGS
    touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
