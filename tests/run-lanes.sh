#!/usr/bin/env bash
# The suite in two lanes (docs/decisions.md, "The test suite"): first what is safe in parallel, on pytest-xdist
# workers (TEST_WORKERS, default auto: one per core), then the real-time lane (marker `realtime`, set by
# tests/conftest.py: Chromium, live publishing, nginx, tests starting servers) alone, so its deadlines hold.
# Usage: tests/run-lanes.sh PYTEST [PYTEST ARGUMENTS...]; prints each lane's time; exits non-zero if a lane failed.
# TEST_LANE_ORDER ("parallel realtime" unless set) orders the lanes: CI runs the second database's the other way
# round, so one run's parallel lane works while the other's real-time lane mostly waits.
# A lane with no test for the arguments given (pytest's exit 5) is fine, unless TEST_LANES_STRICT is set (CI runs
# the whole suite, where both lanes have tests); no test in either lane is exit 5.
set -uo pipefail
pytest=$1
shift
status=0
ran=0

run_lane() {
  local name=$1 started=$SECONDS rc=0
  shift
  echo "== lane $name"
  "$pytest" "$@" || rc=$?
  echo "== lane $name: $((SECONDS - started)) s (pytest exit $rc)"
  case $rc in
    0) ran=1 ;;
    5) if [[ -n ${TEST_LANES_STRICT:-} ]]; then status=1; fi ;;
    *) ran=1 status=1 ;;
  esac
}

for lane in ${TEST_LANE_ORDER:-parallel realtime}; do
  case $lane in
    parallel) run_lane parallel -m "not realtime" -n "${TEST_WORKERS:-auto}" "$@" ;;
    realtime) run_lane realtime -m realtime "$@" ;;
    *) echo "unknown lane in TEST_LANE_ORDER: $lane" >&2; exit 2 ;;
  esac
done
if ((ran == 0 && status == 0)); then
  echo "no test collected in either lane"
  exit 5
fi
exit $status
