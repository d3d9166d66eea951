#!/usr/bin/env bash
# Runs the learning job locally end to end: a real Kafka broker (KRaft), a Flink cluster with
# its web UI on http://127.0.0.1:8081, and real datasets replayed through Kafka.
# Needs only Java 17+ and Maven. Options: see --help.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "demo: '$tool' is not on the PATH (needs Java 17+ and Maven)" >&2; exit 2; }
done

echo "Building (first run downloads dependencies) ..."
mvn -q -B -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/demo.classpath -Dmdep.includeScope=test

opens=$(sed -n 's/^env.java.opts.all: //p' flink-conf/config.yaml)
# shellcheck disable=SC2086
exec java $opens -Xmx3g -Djava.io.tmpdir="$PWD/target/tmp" \
  -Dlog4j2.configurationFile=src/test/resources/log4j2-test.properties \
  -cp "target/classes:target/test-classes:$(cat target/demo.classpath)" \
  dev.streamlearn.demo.LocalDemo "$@"
