# Shared by the stack scripts: where things live, ports, and small helpers. Sourced, not run.
# Every path is inside the repository; override with the environment variables below.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK_DIR=${STACK_DIR:-$ROOT/.stack}          # all state, logs and pid files of the local stack
KAFKA_PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${CONTROLLER_PORT:-9093}
UI_PORT=${UI_PORT:-8081}                      # Flink REST API and web UI
RPC_PORT=${RPC_PORT:-6123}                    # Flink JobManager RPC
GATEWAY_PORT=${GATEWAY_PORT:-8090}            # the HTTP gateway (scripts/gateway)
BOOTSTRAP=127.0.0.1:$KAFKA_PORT
UI_URL=http://127.0.0.1:$UI_PORT
CONF_DIR=$STACK_DIR/conf
LOG_DIR=$STACK_DIR/log
PID_DIR=$STACK_DIR/pid
LIB_DIR=$STACK_DIR/lib
JOB_NAME=streamlearn

# the script the user ran, which names its errors: a script that runs another (rollback runs restore)
# exports it, so that the user reads the name of the command they typed
COMMAND_NAME=${COMMAND_NAME:-$(basename "$0")}
die() { echo "$COMMAND_NAME: $*" >&2; exit 2; }
info() { echo "$*" >&2; }

require_tools() {
  local t
  for t in java mvn; do
    command -v "$t" >/dev/null || die "'$t' is not on the PATH (the stack needs Java 17+ and Maven)"
  done
}

# Maven from the repository root, quiet, its output (errors only) on stderr without the color codes
# Debian's Maven writes even in batch mode with colors off.
maven() {
  local out status=0
  out=$(cd "$ROOT" && mvn -q -B -Dstyle.color=never "$@" 2>&1) || status=$?
  printf '%s\n' "$out" | sed $'s/\e\\[[0-9;]*m//g' | grep -v '^[[:space:]]*$' >&2 || true
  return "$status"
}

# The jars one `mvn package` builds, built when missing or older than the sources: the job jar
# (what flink run takes) and the tools jar (the job's classes and the tools: replay, evaluate, ...).
build_jars() {
  [[ -z "${JARS_PINNED:-}" ]] || return 0
  local job="$ROOT/target/streamlearn.jar" tools="$ROOT/target/streamlearn-tools.jar" older
  if [[ -f "$job" && -f "$tools" ]]; then
    older=$job
    [[ "$tools" -ot "$job" ]] && older=$tools
    # one look for a source newer than the older jar: every tool's start asks
    [[ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$older" -type f -print -quit 2>/dev/null)" ]] || return 0
  fi
  info "Building the jars ..."
  maven -DskipTests package || die "the build failed"
}
# A benchmark builds once and keeps that build for all its runs, whatever changes in src meanwhile.
pin_jars() { build_jars; export JARS_PINNED=1; }
# A copy of the tools jar for a process that outlives the command that starts it (the gateway): a
# build rewrites target/streamlearn-tools.jar in place, which takes classes from under a running JVM
# (it failed with NoClassDefFoundError in its Kafka threads and left callers unanswered). The copy
# is renamed into place, so a process running from the one before keeps it.
private_tools_jar() {
  local name=$1 jar; jar=$(tools_jar)
  mkdir -p "$STACK_DIR/run"
  cp "$jar" "$STACK_DIR/run/$name.jar.tmp" && mv -f "$STACK_DIR/run/$name.jar.tmp" "$STACK_DIR/run/$name.jar"
  echo "$STACK_DIR/run/$name.jar"
}
job_jar() { build_jars; echo "$ROOT/target/streamlearn.jar"; }
tools_jar() { build_jars; echo "$ROOT/target/streamlearn-tools.jar"; }

# Default topic names, from the job jar (dev.streamlearn.job.Topic, the one list of them): all, or
# those of the given options (topic.model-log ...).
job_topics() { java -cp "$(tools_jar)" dev.streamlearn.tools.TopicNames "$@"; }

# The value of one key of the repository's flink-conf/config.yaml (empty when it is not set).
flink_conf() { sed -n "s/^$1: *//p" "$ROOT/flink-conf/config.yaml"; }
java_opens() { flink_conf env.java.opts.all; }
# The JVM options flink-conf gives one kind of Flink process (jobmanager, taskmanager, client), as
# Flink's own launch scripts read them: env.java.opts.all, then env.java.opts.<kind>.
flink_java_opts() { java_opens; flink_conf "env.java.opts.$1"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The state of one of the stack's processes, by its pid file: running, exiting (killed, its JVM still
# tearing down: it answers kill -0 for a moment but will not serve again), or gone. A pid that now
# belongs to another program (the pid file outlived a reboot) counts as gone.
proc_state() {
  local file="$PID_DIR/$1.pid" pid
  [[ -f "$file" ]] || { echo gone; return; }
  # read with bash's own builtins where it can: every script asks this, scripts/status twice
  read -r pid < "$file" || true
  kill -0 "$pid" 2>/dev/null || { echo gone; return; }
  if [[ -r /proc/$pid/stat ]]; then
    local cmdline
    cmdline=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || true
    # a process whose memory is already released has an empty command line: it is on its way out
    [[ -n "$cmdline" ]] || { echo exiting; return; }
    [[ "$cmdline" == *"$LOG_DIR/$1.log"* ]] || { echo gone; return; }
    local stat="" fields state flags pending="" line
    read -r stat 2>/dev/null < "/proc/$pid/stat" || [[ -n "$stat" ]] || { echo gone; return; }
    # the fields after the command name (which may hold spaces): state is field 3, flags field 9
    read -r -a fields <<<"${stat##*) }"
    state=${fields[0]}; flags=${fields[6]}
    while read -r line; do
      case "$line" in ShdPnd:* | SigPnd:*) pending+=" ${line#*:}";; esac
    done 2>/dev/null < "/proc/$pid/status" || true
    # a zombie, a process in exit (PF_EXITING, 0x4) or one with a SIGKILL (bit 8) on its way
    if [[ $state == Z || $state == X ]] || (( flags & 0x4 )); then echo exiting; return; fi
    local mask; for mask in $pending; do (( 0x$mask & 0x100 )) && { echo exiting; return; }; done
  else
    # no /proc (macOS): ps tells a zombie (Z) and a process on its way out (E)
    ps -o command= -p "$pid" 2>/dev/null | grep -qF -- "$LOG_DIR/$1.log" || { echo gone; return; }
    [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" == *[ZE]* ]] && { echo exiting; return; }
  fi
  echo running
}

pid_alive() { [[ "$(proc_state "$1")" == running ]]; }

# The stack's TaskManagers: taskmanager, taskmanager-2 ... as many as scripts/up --taskmanagers
# last asked for (1 by default), each with its own pid file and log.
taskmanager_count() { cat "$STACK_DIR/taskmanagers" 2>/dev/null || echo 1; }
taskmanager_names() {
  local n i; n=$(taskmanager_count)
  echo taskmanager
  for ((i = 2; i <= n; i++)); do echo "taskmanager-$i"; done
}
# Every TaskManager that has a pid file, also one beyond the count (asked for before).
taskmanagers_with_pid_files() {
  local f
  for f in "$PID_DIR"/taskmanager*.pid; do [[ -e "$f" ]] && basename "$f" .pid; done
  return 0
}

# Waits (at most 60 s) until a process that is exiting is gone, so that what replaces it does not
# find it still holding its ports, and a healing run of scripts/up does not take it for healthy.
await_gone() {
  local name=$1 pid end=$((SECONDS + 60))
  [[ "$(proc_state "$name")" == exiting ]] || return 0
  pid=$(cat "$PID_DIR/$name.pid")
  info "Waiting for the $name (pid $pid), which is exiting ..."
  while [[ "$(proc_state "$name")" == exiting ]]; do
    (( SECONDS < end )) || die "the $name (pid $pid) did not exit within 60 s"
    sleep 0.2
  done
}

STOPPED=0
# stop_together NAME...: asks each of them to stop at once and waits for them all (30 s, then kill -9)
stop_together() {
  local name pid names=() pids=()
  for name in "$@"; do
    await_gone "$name" # one killed a moment ago: its files are let go before a wipe
    if pid_alive "$name"; then
      pid=$(cat "$PID_DIR/$name.pid")
      kill "$pid"
      names+=("$name"); pids+=("$pid")
    else
      rm -f "$PID_DIR/$name.pid"
    fi
  done
  local i left
  for _ in $(seq 1 150); do
    left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    (( left == 1 )) || break
    sleep 0.2
  done
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      info "${names[$i]} (pid ${pids[$i]}) did not stop in 30 s; killing it"
      kill -9 "${pids[$i]}" 2>/dev/null || true
    fi
    info "Stopped ${names[$i]} (pid ${pids[$i]})"
    rm -f "$PID_DIR/${names[$i]}.pid"
    STOPPED=$((STOPPED + 1))
  done
}
rest_up() { curl -fsS -m 2 "$UI_URL/overview" >/dev/null 2>&1; }

# Whether the arguments name other brokers (--bootstrap) or ask only for help or the version:
# then a tool needs nothing of the local stack.
names_brokers_or_asks_help() {
  local a
  for a in "$@"; do
    case "$a" in --bootstrap | --bootstrap=* | -h | --help | -V | --version) return 0;; esac
  done
  return 1
}

# Dies when the local broker is not up, unless the arguments name another or ask for help.
require_broker_unless_given() {
  names_brokers_or_asks_help "$@" && return 0
  port_in_use "$KAFKA_PORT" || die "no Kafka broker on $BOOTSTRAP (start the stack with scripts/up, or pass --bootstrap)"
}

require_stack() {
  pid_alive jobmanager && rest_up || die "the stack is not up (start it with scripts/up)"
}

# Runs a project tool (Replay, Status, ...) from the job jar, with the stack's log4j for its Kafka
# client (and TOOL_CLASSPATH after it; TOOL_JAVA_OPTS before the main class). It replaces the
# calling shell, so `run_tool ... &` leaves the tool's own pid in $!.
run_tool() {
  local main=$1; shift
  local jar; jar=${TOOL_JAR:-$(tools_jar)}
  [[ -d "$LIB_DIR/flink" ]] || fetch_libs
  # the local stack's addresses, the tools' defaults for --bootstrap, --url and --store (tools.LocalStack)
  export STREAMLEARN_BOOTSTRAP=$BOOTSTRAP STREAMLEARN_REST=$UI_URL STREAMLEARN_STORE=file://$STACK_DIR/models
  # a progress bar redraws itself on a terminal only: in a log, each carriage return would join its lines
  if [[ -t 2 ]]; then export STREAMLEARN_STDERR_TERMINAL=yes; else unset STREAMLEARN_STDERR_TERMINAL; fi
  # shellcheck disable=SC2086
  exec java ${TOOL_JAVA_OPTS:-} -Dlog4j2.configurationFile="$ROOT/scripts/stack/log4j-tools.properties" \
    -cp "$jar:$LIB_DIR/flink/*${TOOL_CLASSPATH:+:$TOOL_CLASSPATH}" "dev.streamlearn.tools.$main" "$@"
}

# Flink's command line client against the local cluster.
flink_cli() {
  [[ -d "$LIB_DIR/flink" ]] || fetch_libs
  # shellcheck disable=SC2046
  FLINK_CONF_DIR=$CONF_DIR java $(flink_java_opts client) \
    -Dlog4j2.configurationFile="$ROOT/scripts/stack/log4j-tools.properties" \
    -cp "$LIB_DIR/flink/*" org.apache.flink.client.cli.CliFrontend "$@"
}

# The Kafka broker and the Flink cluster as jars from Maven Central (no distribution to download).
fetch_libs() {
  info "Resolving Kafka and Flink jars from Maven (first time only) ..."
  local p
  for p in kafka flink; do
    maven -f scripts/stack/pom.xml -P "$p" dependency:copy-dependencies -DoutputDirectory="$LIB_DIR/$p" \
      || die "could not resolve the $p jars with Maven"
  done
}

# The demo's job options and its bike replay (scripts/demo.sh; scripts/bench-first-events times the same job)
DEMO_JOB_OPTIONS=(--models ctr,bike --batch.size 100 --batch.millis 200)
DEMO_BIKE_REPLAY=(--quiet --file "$ROOT/src/data/bike_sharing/hour.csv" --format bike-sharing --model bike)
# Tools that only feed or watch a job beside it on the same two cores need no optimizing compiler:
# the demo's feeders (1,000 events/s each) and watcher (one REST poll a second), and the benchmarks'
# pollers. Their compiles took CPU from the job they show: the demo's first line with events came
# 2 s later without this (docs/BENCHMARKS.md, section 7).
QUICK_TOOL_JAVA_OPTS="-XX:TieredStopAtLevel=1"

# A job's options, one per line, without Flink's -p N: what the gateway checks requests with.
options_without_parallelism() {
  awk 'skip { skip = 0; next } $0 == "-p" || $0 == "--parallelism" { skip = 1; next } { print }' "$1"
}

# The gateway in front of the last submitted job: started when none runs, started anew when it
# checks requests with another job's options. STREAMLEARN_GATEWAY=off leaves it alone (the
# benchmarks, which measure the job by itself). A gateway that cannot start (its port taken) is
# said, and fails nothing else: the job runs without it.
ensure_gateway() {
  [[ "${STREAMLEARN_GATEWAY:-on}" != off && -s "$STACK_DIR/last-job.options" ]] || return 0
  if pid_alive gateway; then
    [[ "$(options_without_parallelism "$STACK_DIR/last-job.options")" == "$(cat "$STACK_DIR/gateway.options" 2>/dev/null)" ]] \
      && return 0
    info "Restarting the gateway for the options of the job submitted last ..."
    stop_together gateway
  fi
  "$ROOT/scripts/gateway" --detach \
    || info "The job runs without its gateway (why: above); scripts/gateway --detach starts it."
}

# rest METHOD PATH [JSON]: a call to the cluster's REST API (what the Flink CLI sends for cancel,
# stop and savepoint, without a client JVM to start); prints the answer, fails on an HTTP error with
# the cluster's reason.
rest() {
  local method=$1 path=$2 body=${3:-} answer status
  answer=$(curl -sS -m 30 -X "$method" -H 'Content-Type: application/json' ${body:+-d "$body"} \
    -w '\n%{http_code}' "$UI_URL$path") || die "the Flink REST API on $UI_URL did not answer $method $path"
  status=${answer##*$'\n'}; answer=${answer%$'\n'*}
  if (( status >= 400 )); then
    die "$method $path: HTTP $status: $(first_line_of errors "$answer")"
  fi
  echo "$answer"
}

# The first line of a JSON string field of a REST answer: the cause in an error ({"errors":["...stack
# trace..."]}) or in a failed operation ("stack-trace":"...").
first_line_of() { # field-pattern answer
  sed -n "s/.*\"$1\":\\[\\{0,1\\}\"\\([^\"]*\\).*/\\1/p" <<<"$2" | sed 's/\\n.*//; s/\\t//g' | head -1
}

request_cancel() { rest PATCH "/jobs/$1?mode=cancel" >/dev/null; }

# savepoint_of JOB stop|keep: a canonical savepoint of the job into the stack's savepoint folder,
# stopping the job with it (stop-with-savepoint) or leaving it running; waits for it and prints its path.
savepoint_of() {
  local job=$1 how=$2 trigger status answer end=$((SECONDS + 600))
  if [[ $how == stop ]]; then
    answer=$(rest POST "/jobs/$job/stop" '{"drain":false,"formatType":"CANONICAL"}') || exit 1
  else
    answer=$(rest POST "/jobs/$job/savepoints" '{"cancel-job":false,"formatType":"CANONICAL"}') || exit 1
  fi
  trigger=$(sed -n 's/.*"request-id":"\([0-9a-f]*\)".*/\1/p' <<<"$answer")
  [[ -n "$trigger" ]] || die "the cluster gave no request id for the savepoint: $answer"
  while true; do
    answer=$(rest GET "/jobs/$job/savepoints/$trigger") || exit 1
    status=$(sed -n 's/.*"status":{"id":"\([A-Z_]*\)".*/\1/p' <<<"$answer")
    [[ $status == COMPLETED ]] && break
    (( SECONDS < end )) || die "the savepoint of job $job did not complete within 600 s"
    sleep 0.5
  done
  local location
  location=$(sed -n 's/.*"location":"\([^"]*\)".*/\1/p' <<<"$answer")
  if [[ -z "$location" ]]; then
    die "the savepoint of job $job failed: $(first_line_of stack-trace "$answer")"
  fi
  # stopped means finished: its sinks commit what the savepoint holds (model versions to the store)
  # after the savepoint completes, and a job restored before that would not see them
  if [[ $how == stop ]]; then
    until rest GET "/jobs/$job" | grep -qE '"state":"(FINISHED|CANCELED|FAILED)"'; do
      (( SECONDS < end )) || die "job $job did not finish after its savepoint $location"
      sleep 0.2
    done
  fi
  echo "$location"
}

# Id of the running streamlearn job, or nothing.
running_job() {
  curl -fsS -m 5 "$UI_URL/jobs/overview" 2>/dev/null | tr '{' '\n' \
    | grep "\"name\":\"$JOB_NAME\"" | grep '"state":"RUNNING"' | sed -n 's/.*"jid":"\([0-9a-f]*\)".*/\1/p' | head -1 \
    || true
}

# "<id> <state>" of a streamlearn job that runs or will run again (RESTARTING, ...), or nothing.
active_job() {
  curl -fsS -m 5 "$UI_URL/jobs/overview" 2>/dev/null | tr '{' '\n' | grep "\"name\":\"$JOB_NAME\"" \
    | grep -E '"state":"(RUNNING|RESTARTING|CREATED|INITIALIZING|FAILING|RECONCILING)"' \
    | sed -n 's/.*"jid":"\([0-9a-f]*\)".*"state":"\([A-Z]*\)".*/\1 \2/p' | head -1 || true
}

# Cancels a job that is not running but would run again (RESTARTING after a lost TaskManager, ...),
# so that a replacement does not start beside it; its checkpoints are retained on cancellation.
cancel_restarting_job() {
  local job state
  read -r job state <<<"$(active_job)"
  [[ -n "${job:-}" && "$state" != RUNNING ]] || return 0
  info "Cancelling job $job, which is $state (its retained checkpoints stay) ..."
  request_cancel "$job"
  local end=$((SECONDS + 60))
  while [[ -n "$(active_job)" ]]; do
    (( SECONDS < end )) || die "job $job did not stop within 60 s"
    sleep 0.5
  done
}

# Cancels the job and waits (at most 60 s) until the cluster reports it CANCELED.
cancel_job() {
  request_cancel "$1"
  local end=$((SECONDS + 60))
  until curl -fsS -m 5 "$UI_URL/jobs/$1" | grep -q '"state":"CANCELED"'; do
    (( SECONDS < end )) || die "job $1 did not stop within 60 s"
    sleep 0.5
  done
}

# The newest retained checkpoint or savepoint of the stack (a folder with _metadata), or nothing.
latest_state() {
  find "$STACK_DIR/checkpoints" "$STACK_DIR/savepoints" -name _metadata -printf '%T@ %h\n' 2>/dev/null \
    | sort -n | tail -1 | cut -d' ' -f2-
}

usage_error() { echo "$COMMAND_NAME: $1" >&2; echo "Try '$COMMAND_NAME --help'." >&2; exit 2; }

# Smile's jars (GPL-3.0): never in the job jar, only on the class path of the tools that fit batch models.
smile_classpath() {
  if [[ ! -d "$LIB_DIR/smile" ]]; then
    info "Resolving Smile from Maven (first time only) ..."
    # without logging jars: the tools log through the Flink jars' log4j
    maven -f scripts/stack/pom.xml -P smile dependency:copy-dependencies \
      -DexcludeGroupIds=org.apache.logging.log4j,org.slf4j -DoutputDirectory="$LIB_DIR/smile" \
      || die "could not resolve Smile with Maven"
  fi
  echo "$LIB_DIR/smile/*"
}
