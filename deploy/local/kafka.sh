#!/usr/bin/env bash
# A single-node KRaft Kafka broker from Maven Central jars, as a local process (no Docker).
# Usage: deploy/local/kafka.sh start|stop|status
set -euo pipefail
source "$(dirname "$0")/env.sh"

K_DIR="$MTW_HOME/kafka"
PIDFILE="$K_DIR/kafka.pid"
CP_FILE="$MTW_ROOT/deploy/local/kafka/target/classpath.txt"
HERE="$(cd "$(dirname "$0")" && pwd)"

classpath() {
  if [ ! -s "$CP_FILE" ] || [ "$HERE/kafka/pom.xml" -nt "$CP_FILE" ]; then
    log "resolving Kafka broker jars (first time only)"
    "$MTW_ROOT/mvnw" -B -q -f "$HERE/kafka/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >&2
  fi
  cat "$CP_FILE"
}

start() {
  if pid_alive "$PIDFILE"; then log "kafka already running on $MTW_KAFKA_PORT"; return 0; fi
  local cp
  cp="$(classpath)"
  mkdir -p "$K_DIR"
  cat >"$K_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${MTW_KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${MTW_KAFKA_PORT},CONTROLLER://127.0.0.1:${MTW_KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${MTW_KAFKA_PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${K_DIR}/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat >"$K_DIR/log4j2.properties" <<PROPS
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${K_DIR}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = info
logger.state.name = state.change.logger
logger.state.level = warn
PROPS
  if [ ! -f "$K_DIR/data/meta.properties" ]; then
    local id
    id=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    java -Dlog4j2.configurationFile="$K_DIR/log4j2.properties" -cp "$cp" kafka.tools.StorageTool format \
      -t "$id" -c "$K_DIR/server.properties" >"$K_DIR/format.log" 2>&1 || { cat "$K_DIR/format.log" >&2; die "kafka storage format failed"; }
  fi
  : >"$K_DIR/server.log"
  # C1 only and the serial collector, as for the services: on 2 cores a fresh broker's C2 was still
  # compiling during ./mtw bench; with these its CPU per 2,000-run burst went from 0.77 to 0.46 s
  # (docs/performance.md, sixth round). MTW_KAFKA_JAVA_OPTS replaces them all.
  # shellcheck disable=SC2086 # MTW_KAFKA_JAVA_OPTS is word-split on purpose
  nohup java ${MTW_KAFKA_JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} -Dlog4j2.configurationFile="$K_DIR/log4j2.properties" -cp "$cp" \
    kafka.Kafka "$K_DIR/server.properties" >"$K_DIR/stdout.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 600); do
    grep -q "Kafka Server started" "$K_DIR/server.log" 2>/dev/null && { log "kafka ready on $MTW_KAFKA_BOOTSTRAP (data $K_DIR)"; return 0; }
    pid_alive "$PIDFILE" || { tail -n 30 "$K_DIR/server.log" "$K_DIR/stdout.log" >&2; die "kafka exited during start"; }
    sleep 0.1
  done
  die "kafka did not start within 60 s (see $K_DIR/server.log)"
}

stop() {
  if pid_alive "$PIDFILE"; then stop_pid "$PIDFILE" 20; log "kafka stopped"; fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid_alive "$PIDFILE"; then echo "kafka: running on $MTW_KAFKA_PORT (pid $(cat "$PIDFILE"))"; else echo "kafka: stopped"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
