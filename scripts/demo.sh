#!/usr/bin/env bash
# The whole thing on one machine, in one command: builds the job, brings up Kafka (KRaft) and a
# Flink standalone cluster from Maven jars, submits the job, replays two real datasets through
# Kafka and shows the models learning. Safe to run again: it reuses a running stack and job.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

rate=1000
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help)
      cat <<USAGE
usage: scripts/demo.sh [--rate EVENTS_PER_SECOND]
Starts the local stack (scripts/up), submits the job with models 'ctr' (Open Bandit clicks) and
'bike' (bike-sharing busy hours), replays both datasets at --rate events/s each (default $rate),
every tenth event also as a prediction request, and prints progress from the REST metrics.
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
job=$(running_job)
if [[ -n "$job" ]]; then
  info "Job $job is already running; replaying into it."
else
  job=$("$(dirname "$0")/submit" --models ctr,bike --batch.size 100 --batch.millis 200)
fi

info ""
info "Flink web UI: $UI_URL/#/job/running/$job/overview  (Trainer > Metrics: model.ctr.modelVersion, model.bike.auc, ...)"
info "Replaying at $rate events/s per dataset: src/data/open_bandit (model ctr), src/data/bike_sharing (model bike)"
info ""
obd=src/data/open_bandit
"$(dirname "$0")/replay" --quiet --file "$obd/random_men.csv,$obd/random_women.csv,$obd/bts_men.csv,$obd/bts_women.csv" \
  --format open-bandit --model ctr --rate "$rate" --requests-every 10 > "$LOG_DIR/replay-ctr.log" 2>&1 &
replay_ctr=$!
"$(dirname "$0")/replay" --quiet --file src/data/bike_sharing/hour.csv --format bike-sharing --model bike \
  --rate "$rate" --requests-every 10 > "$LOG_DIR/replay-bike.log" 2>&1 &
replay_bike=$!
run_tool Status --url "$UI_URL" --job "$job" --watch 2 &
watcher=$!
trap 'kill $replay_ctr $replay_bike $watcher 2>/dev/null || true' EXIT
failed=0
wait $replay_ctr || { failed=1; cat "$LOG_DIR/replay-ctr.log" >&2; }
wait $replay_bike || { failed=1; cat "$LOG_DIR/replay-bike.log" >&2; }
sleep 4 # two metric refreshes, so the last lines show the end of the replay
kill $watcher 2>/dev/null || true
(( failed == 0 )) || die "a replay failed (see above)"
echo
"$(dirname "$0")/status" --job "$job"
cat <<NEXT

Done in $((SECONDS - started)) s. The stack keeps running:
  web UI         $UI_URL
  status         scripts/status [--watch 2]
  more data      scripts/replay --help
  savepoint      scripts/savepoint [--stop]   then   scripts/restore <path>
  stop           scripts/down [--wipe]
NEXT
