#!/bin/sh
# KAFKA_<NAME>=value -> <name>=value in server.properties; formats the log dir once; execs the broker.
set -eu
conf=/opt/kafka/config/server.properties
: >"$conf"
env | grep '^KAFKA_' | sort | while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_LOG4J_OPTS) continue ;;
  esac
  key=$(printf '%s' "${name#KAFKA_}" | tr 'A-Z_' 'a-z.')
  printf '%s=%s\n' "$key" "$value" >>"$conf"
done
grep -q '^log.dirs=' "$conf" || echo "log.dirs=/var/lib/kafka/data" >>"$conf"
for required in process.roles node.id listeners controller.quorum.voters; do
  grep -q "^$required=" "$conf" || { echo "error: KAFKA_$(echo "$required" | tr 'a-z.' 'A-Z_') is not set" >&2; exit 1; }
done
cp=/opt/kafka/libs/*
log4j="-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties"
logdir=$(sed -n 's/^log.dirs=//p' "$conf" | cut -d, -f1)
if [ ! -f "$logdir/meta.properties" ]; then
  id="${CLUSTER_ID:-$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)}"
  # shellcheck disable=SC2086
  java $log4j -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$conf" >/tmp/format.log 2>&1 \
    || { cat /tmp/format.log >&2; exit 1; }
fi
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:-} ${KAFKA_OPTS:-} $log4j -cp "$cp" kafka.Kafka "$conf"
