#!/usr/bin/env bash
# Install what is needed (Debian's chromium included), then run lint, types and the whole
# pytest suite: unit, integration (SQLite, PostgreSQL, Redis) and browser tests.
source "$(dirname "$0")/bootstrap.sh" dev

phase "chromium"
[ -x /usr/bin/chromium ] || apt_install chromium

phase "ruff"
ruff check .
ruff format --check .

phase "mypy"
mypy careerpath

phase "pytest"
set +e
pytest "$@"
status=$?
set -e
phase "done"
if [ "$status" = 5 ]; then echo "pytest collected no test: that is a failure." >&2; exit 1; fi
exit "$status"
