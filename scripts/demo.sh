#!/usr/bin/env bash
# The whole thing on one machine, in one command: builds the job, brings up Kafka (KRaft) and a
# Flink standalone cluster from Maven jars, submits the job, replays a generated click stream with
# a drift point and a real dataset through Kafka and shows the models learning. Safe to run again:
# it reuses a running stack and job.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

rate=1000
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help)
      cat <<USAGE
usage: scripts/demo.sh [--rate EVENTS_PER_SECOND]
Starts the local stack (scripts/up), submits the job with models 'ctr' (a generated click stream,
scripts/generate, whose true weights change halfway) and 'bike' (the real bike-sharing hours),
replays both at --rate events/s each (default $rate), every tenth event also as a prediction
request, and prints progress from the REST metrics, timed from the job's submission.
The stack stays up afterwards: web UI $UI_URL, scripts/status, scripts/down.
USAGE
      exit 0;;
    --rate) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "--rate needs a positive number"; rate=$2; shift 2;;
    *) usage_error "unknown option '$1'";;
  esac
done
require_tools
started=$SECONDS
job_jar >/dev/null
"$(dirname "$0")/up"
# 100,000 Criteo-shaped events whose labels come from a known logistic model drawn anew at 50,000:
# the ctr model's auc dips there and recovers (seeded: the same stream every time)
clicks=$STACK_DIR/demo/clicks-100k-drift-50k.jsonl
if [[ ! -s "$clicks" ]]; then
  mkdir -p "$(dirname "$clicks")"
  run_tool Generate --events 100000 --drift-at 50000 --out "$clicks.tmp" &
  wait $! || die "generating the click stream failed"
  mv "$clicks.tmp" "$clicks"
fi
info ""
info "Replaying at $rate events/s per stream: a generated click stream (model ctr; its true weights change"
info "at event 50,000: watch its auc dip and recover) and src/data/bike_sharing (model bike)"
info ""
# the replays and the watcher (and the status at the end) on the quick compiler: see common.sh
export TOOL_JAVA_OPTS=$QUICK_TOOL_JAVA_OPTS
# The bike replay starts first and its events wait in Kafka while the job's tasks deploy, so the
# first ones show a few seconds after the submission. The click stream (100,000 lines to load)
# starts after it, not to slow the start on two cores.
"$(dirname "$0")/replay" "${DEMO_BIKE_REPLAY[@]}" --rate "$rate" --requests-every 10 > "$LOG_DIR/replay-bike.log" 2>&1 &
replay_bike=$!
# the watcher starts before the submission too (a JVM takes seconds to start on a busy machine)
run_tool Status --url "$UI_URL" --wait-running 120 --watch 1 &
watcher=$!
trap 'kill $replay_bike $watcher ${replay_ctr:-} 2>/dev/null || true' EXIT
job=$(running_job)
if [[ -n "$job" ]]; then
  info "Job $job is already running; replaying into it."
else
  job=$("$(dirname "$0")/submit" "${DEMO_JOB_OPTIONS[@]}")
fi

info "Flink web UI: $UI_URL/#/job/running/$job/overview  (Trainer > Metrics: model.ctr.modelVersion, model.bike.auc, ...)"
ensure_gateway # started by the submission; started here when the job was already running
"$(dirname "$0")/replay" --quiet --file "$clicks" --format jsonl --rate "$rate" --requests-every 10 \
  > "$LOG_DIR/replay-ctr.log" 2>&1 &
replay_ctr=$!
while kill -0 $replay_ctr 2>/dev/null || kill -0 $replay_bike 2>/dev/null; do
  kill -0 $watcher 2>/dev/null || die "the job's tasks did not all run within 120 s (above: why)"
  sleep 1
done
failed=0
wait $replay_ctr || { failed=1; cat "$LOG_DIR/replay-ctr.log" >&2; }
wait $replay_bike || { failed=1; cat "$LOG_DIR/replay-bike.log" >&2; }
sleep 2 # two metric refreshes, so the last lines show the end of the replay
kill $watcher 2>/dev/null || true
(( failed == 0 )) || die "a replay failed (see above)"
echo
"$(dirname "$0")/status" --job "$job"
cat <<NEXT

Done in $((SECONDS - started)) s. The stack keeps running:
  web UI         $UI_URL
  status         scripts/status [--watch 2]
  predict (HTTP) curl -s localhost:$GATEWAY_PORT/v2/models/bike/infer -d '{"inputs":[{"name":"hour","shape":[1],"datatype":"BYTES","data":["8"]},{"name":"workingday","shape":[1],"datatype":"BYTES","data":["1"]}]}'
  more data      scripts/replay --help
  savepoint      scripts/savepoint [--stop]   then   scripts/restore <path>
  stop           scripts/down [--wipe]
NEXT
