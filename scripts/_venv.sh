# Sourced by the scripts: makes .venv (once) and installs what the step needs.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
fi
VPY="$REPO/.venv/bin/python"
# Quiet on success; the whole pip log on failure. Into .venv, or PIP_PYTHON's environment.
pip_install() {
    local log
    log="$(mktemp)"
    if ! "${PIP_PYTHON:-$VPY}" -m pip install --quiet --disable-pip-version-check "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}
