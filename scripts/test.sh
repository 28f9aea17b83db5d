#!/usr/bin/env bash
# Install what is needed (Debian's chromium included), then run lint, types and the whole
# pytest suite: unit, integration (SQLite, PostgreSQL, Redis) and browser tests, then the
# journey's browser tests again on the scale-out stack (PostgreSQL + Redis + several workers).
# Arguments go to pytest (and then skip the scale-out pass).
source "$(dirname "$0")/bootstrap.sh" dev

phase "chromium"
[ -x /usr/bin/chromium ] || apt_install chromium
# DejaVu Sans: the font the PDF bilan embeds (every French character, ≠ the PDF core fonts).
[ -d /usr/share/fonts/truetype/dejavu ] || apt_install fonts-dejavu-core

phase "ruff"
ruff check .
ruff format --check .

phase "mypy"
mypy careerpath

run_pytest() {  # pytest, with "no test collected" (exit 5) counted as a failure
  set +e; pytest "$@"; local status=$?; set -e
  if [ "$status" = 5 ]; then echo "pytest collected no test: that is a failure." >&2; return 1; fi
  return "$status"
}

phase "pytest"
status=0
if [ $# = 0 ]; then
  # The Redis-outage test starts a second app of its own and stops its Redis: it runs in its
  # own pytest process, after the others, so the session's shared app never meets it. (The
  # test that kills the backend workers runs with the others: the app answers again after
  # each kill, see careerpath/cli/supervision.py.)
  # The offline tests run on an app of their own too (a fresh service worker and cache). Their
  # failures in sessions 6 and 7 were the test's own race (the first h3 read before /metiers
  # replaced /profil), fixed in tests/browser/test_offline.py.
  # The tests without a browser (unit, integration, robustness) run beside the browser
  # tests, in a pytest process of their own: the browser tests wait on pages most of the
  # time (a third of both cores idle), these tests need one core and start no app. Their
  # report is printed once the browser tests are done.
  # The "pytest" line below is the browser tests' time; the one of the tests without a
  # browser is their own process's, measured inside it.
  others_log="$(mktemp)"; others_ms="$(mktemp)"
  (
    started=$(date +%s%N); others_status=0
    run_pytest --ignore=tests/browser -p no:cacheprovider >"$others_log" 2>&1 || others_status=$?
    echo $(( ($(date +%s%N) - started) / 1000000 )) >"$others_ms"
    exit "$others_status"
  ) &
  others=$!
  run_pytest tests/browser --ignore=tests/browser/test_redis_outage.py \
    --ignore=tests/browser/test_offline.py || status=$?
  phase "pytest, waiting for the tests without a browser"
  wait "$others" || status=$?
  ms=$(cat "$others_ms"); ms=${ms:-0}
  printf '⏱  %-20s %5d.%01d s (its own process, beside the browser tests)\n' \
    "pytest, without a browser" $((ms / 1000)) $((ms % 1000 / 100))
  cat "$others_log"
  rm -f "$others_log" "$others_ms"
  phase "pytest, Redis outage"
  run_pytest tests/browser/test_redis_outage.py || status=$?
  phase "pytest, offline"
  run_pytest tests/browser/test_offline.py || status=$?
else
  run_pytest "$@" || status=$?
fi

if [ $# = 0 ]; then
  phase "pytest, scale-out"
  # At phone size only: the stack under the pages does not depend on their size.
  CAREERPATH_TEST_STACK=scale run_pytest -k "not desktop" tests/browser/test_stack.py tests/browser/test_journey.py \
    "tests/browser/test_classroom.py::test_a_class_poll_with_six_students_shows_counts_only_from_five" \
    || status=$?
fi
phase "done"
exit "$status"
