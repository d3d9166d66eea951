# submit_job SAVEPOINT|"" [job options]: runs the job jar on the local cluster, prints the job id.
# With CHECK_ONLY=true it checks the options as the job would and submits nothing.
submit_job() {
  local savepoint=$1; shift
  require_stack
  local existing; existing=$(running_job)
  [[ -n "${CHECK_ONLY:-}" || -z "$existing" ]] \
    || die "a $JOB_NAME job is already running ($existing); stop it first with scripts/savepoint --stop"
  # -p N is Flink's (the job's parallelism, also on a restore: rescaling); the rest are job options
  local args=() parallelism=() has_bootstrap=false has_store=false bootstrap=$BOOTSTRAP
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -p|--parallelism)
        [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive whole number (the job's parallelism)"
        parallelism=(-p "$2"); shift 2;;
      *)
        [[ "$1" == --kafka.bootstrap-servers ]] && { has_bootstrap=true; bootstrap=${2:-}; }
        [[ "$1" == --store.path ]] && has_store=true
        args+=("$1"); shift;;
    esac
  done
  $has_bootstrap || args=(--kafka.bootstrap-servers "$BOOTSTRAP" "${args[@]}")
  $has_store || args=(--store.path "file://$STACK_DIR/models" "${args[@]}")
  local jar; jar=$(job_jar)
  local topics_check=on
  if ! any_broker_answers "$bootstrap"; then
    info "warning: no Kafka broker of $bootstrap answers from here; the job's sources fail and restart until" \
      "one does (scripts/status shows the cause)"
    topics_check=off
  fi
  # the job's own check, before anything is submitted or saved: one line naming the option (and,
  # where the brokers answer, a topic the job needs that they lack)
  local problem
  problem=$(STREAMLEARN_TOPICS_CHECK=$topics_check TOOL_JAVA_OPTS=$QUICK_TOOL_JAVA_OPTS \
    run_tool CheckJobOptions "${args[@]}" 2>&1) || die "$problem"
  [[ -z "${CHECK_ONLY:-}" ]] || return 0
  local from=(); [[ -z "$savepoint" ]] || from=(-s "$savepoint")
  local out
  if ! out=$(flink_cli run -d "${from[@]}" "${parallelism[@]}" "$jar" "${args[@]}" 2>&1); then
    if echo "$out" | grep -q "^streamlearn:"; then
      die "$(echo "$out" | grep "^streamlearn:" | head -1 | sed 's/^streamlearn: //')"
    fi
    echo "$out" | grep -E "Caused by|Exception" | head -5 >&2
    die "submission failed (the Flink client's reason above; scripts/logs jobmanager for the cluster's)"
  fi
  local id; id=$(echo "$out" | sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' | head -1)
  [[ -n "$id" ]] || { echo "$out" >&2; die "submission printed no job id"; }
  info "Submitted job $id${savepoint:+ from $savepoint}; web UI $UI_URL/#/job/running/$id/overview"
  # the options it runs with, for scripts/restore --latest (one per line)
  printf '%s\n' "${parallelism[@]}" "${args[@]}" > "$STACK_DIR/last-job.options"
  ensure_gateway
  echo "$id"
}

# any_broker_answers HOST:PORT[,HOST:PORT...]: whether one of them takes a TCP connection within a second
any_broker_answers() {
  local server servers
  IFS=, read -ra servers <<<"$1"
  for server in "${servers[@]}"; do
    timeout 1 bash -c "exec 3<>'/dev/tcp/${server%:*}/${server##*:}'" 2>/dev/null && return 0
  done
  return 1
}
