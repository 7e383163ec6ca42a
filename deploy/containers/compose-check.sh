#!/usr/bin/env bash
# The compose stack once, for ./mtw test: docker-compose.yml with the images of images.sh (run it
# first), every published port on a free host port, brought up in dependency order (podman-compose
# ignores depends_on conditions), the README's first run through the gateway (first-run.py), then
# torn down with its volumes and network; fails if anything is left behind.
# Usage: deploy/containers/compose-check.sh    (engine and socket as in lib.sh)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
cd "$MTW_ROOT"
ct_engine
[ -s "$MTW_CT_DIR/images.env" ] || die "no $MTW_CT_DIR/images.env: run ./mtw images first"
t0=$(date +%s)
PROJECT="mtwcheck$$"
FILE="$MTW_CT_DIR/compose.yml"
PORTS="$MTW_CT_DIR/compose-ports.txt"

if [ "$ENGINE" = podman ]; then
  command -v podman-compose >/dev/null 2>&1 || { log "installing podman-compose (Debian)"; ct_apt_install podman-compose; }
  COMPOSE=(podman-compose --no-ansi -p "$PROJECT" -f "$FILE")
  PY=/usr/bin/python3 # Debian's, with python3-yaml (a dependency of podman-compose)
else
  if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose -p "$PROJECT" -f "$FILE")
  else COMPOSE=(docker-compose -p "$PROJECT" -f "$FILE"); fi
  PY=python3
fi
"$PY" -c 'import yaml' 2>/dev/null || ct_apt_install python3-yaml
"$PY" "$HERE/compose-file.py" "$MTW_ROOT" "$MTW_CT_DIR/images.env" "$FILE" "$PORTS"

host_port() { awk -v s="$1" -v p="$2" '$1==s && $2==p {print $3}' "$PORTS"; }
# The container of a service (compose v1/v2 and podman-compose all set this label).
cid() { "$ENGINE" ps -aq --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1" | head -1; }
# until SECONDS WHAT COMMAND…: retries COMMAND every second.
until_ok() {
  local secs=$1 what=$2
  shift 2
  for _ in $(seq 1 "$secs"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  die "compose check: $what not within $secs s"
}
dump() {
  local c
  for c in $("$ENGINE" ps -aq --filter "label=com.docker.compose.project=$PROJECT"); do
    echo "--- $("$ENGINE" inspect --format '{{.Name}} {{.State.Status}} exit {{.State.ExitCode}}' "$c")" >&2
    "$ENGINE" logs --tail 15 "$c" >&2 2>&1 || true
  done
}
down() {
  local status=$?
  [ "$status" = 0 ] || dump
  "${COMPOSE[@]}" down -v >"$MTW_CT_DIR/compose-down.log" 2>&1 || true
  # Whatever the client left: containers, volumes, network of this project.
  local left
  left=$("$ENGINE" ps -aq --filter "label=com.docker.compose.project=$PROJECT")
  [ -z "$left" ] || "$ENGINE" rm -f -v $left >/dev/null 2>&1 || true
  left=$("$ENGINE" volume ls -q | grep "^${PROJECT}_" || true)
  [ -z "$left" ] || "$ENGINE" volume rm -f $left >/dev/null 2>&1 || true
  left=$("$ENGINE" network ls --format '{{.Name}}' | grep "^${PROJECT}_" || true)
  [ -z "$left" ] || "$ENGINE" network rm -f $left >/dev/null 2>&1 || true
  exit "$status"
}
trap down EXIT

log "compose check ($ENGINE, project $PROJECT): postgres, kafka"
"${COMPOSE[@]}" up -d postgres kafka >"$MTW_CT_DIR/compose-up.log" 2>&1 || { cat "$MTW_CT_DIR/compose-up.log" >&2; die "compose up failed"; }
until_ok 120 "postgres ready" "$ENGINE" exec "$(cid postgres)" pg_isready -q -h 127.0.0.1 -U minitower -d minitower
until_ok 120 "kafka ready" sh -c "'$ENGINE' logs '$(cid kafka)' 2>&1 | grep -q 'Kafka Server started'"
log "compose check: migration job"
"${COMPOSE[@]}" up -d --no-deps migrate >>"$MTW_CT_DIR/compose-up.log" 2>&1 || { cat "$MTW_CT_DIR/compose-up.log" >&2; die "compose up migrate failed"; }
code=$("$ENGINE" wait "$(cid migrate)" | tail -1)
[ "$code" = 0 ] || { "$ENGINE" logs "$(cid migrate)" >&2; die "compose check: migration job exited with $code"; }
log "compose check: the three services"
"${COMPOSE[@]}" up -d --no-deps api-service runner-service scheduler-service >>"$MTW_CT_DIR/compose-up.log" 2>&1 \
  || { cat "$MTW_CT_DIR/compose-up.log" >&2; die "compose up services failed"; }
for s in api-service:9080 runner-service:9081 scheduler-service:9082; do
  until_ok 240 "${s%%:*} ready" curl -fsS "http://127.0.0.1:$(host_port "${s%%:*}" "${s##*:}")/ready"
done
log "compose check: runner-1 and the gateway"
"${COMPOSE[@]}" up -d --no-deps runner-1 gateway >>"$MTW_CT_DIR/compose-up.log" 2>&1 || { cat "$MTW_CT_DIR/compose-up.log" >&2; die "compose up runner/gateway failed"; }
GW="http://127.0.0.1:$(host_port gateway 8000)"
until_ok 120 "gateway answering" curl -fsS "$GW/api/v1/auth/options"
until_ok 120 "runner-1 registered" sh -c "'$ENGINE' logs '$(cid runner-1)' 2>&1 | grep -q 'registered successfully'"
log "compose check: first run through the gateway $GW"
python3 "$HERE/first-run.py" "$GW" dev "$MTW_ROOT/examples/hello-python" || die "compose check: first run failed"
# What each service counted of that run, on its management port (counters appear with their first
# increment, so only now).
for s in api-service:9080:minitower_runs_created_total runner-service:9081:minitower_runs_completed_total \
  scheduler-service:9082:minitower_runners_online; do
  IFS=: read -r svc port metric <<<"$s"
  # Read whole first: `curl | grep -q` fails under pipefail when grep stops reading early (SIGPIPE).
  # The scheduler's gauges are re-read every 2 s, so a few tries (counters are there at once).
  found=""
  for _ in 1 2 3 4 5; do
    scrape=$(curl -fsS "http://127.0.0.1:$(host_port "$svc" "$port")/metrics") \
      || die "compose check: $svc /metrics did not answer"
    if grep -q "^$metric{" <<<"$scrape"; then found=1; break; fi
    sleep 1
  done
  [ -n "$found" ] || die "compose check: $svc /metrics has no $metric (5 scrapes, 1 s apart)"
done
log "compose check: /metrics of the three services"
log "compose check passed in $(($(date +%s) - t0)) s (tearing down)"
