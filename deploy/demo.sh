#!/usr/bin/env bash
# Demo load for a running stack (docker compose up, or ./mtw up): bootstraps a team, deploys
# examples/hello-python (a tar.gz built here with tar, uploaded as multipart) and drives runs.
#
#   deploy/demo.sh            one batch, then wait until every run has finished (exit 1 if any failed)
#   deploy/demo.sh --loop     one batch, then one more run every DEMO_INTERVAL seconds until Ctrl-C
#
# Settings (environment): MINITOWER_URL (http://localhost:8080), MINITOWER_BOOTSTRAP_TOKEN (dev),
# MINITOWER_DEMO_TEAM_SLUG (demo), MINITOWER_DEMO_TEAM_NAME (Demo Team),
# MINITOWER_DEMO_TEAM_PASSWORD (demo-password), BATCH_SIZE (5), DEMO_INTERVAL (3).
# Needs bash, curl and tar only.
set -euo pipefail

URL=${MINITOWER_URL:-http://localhost:8080}
BOOTSTRAP=${MINITOWER_BOOTSTRAP_TOKEN:-dev}
TEAM=${MINITOWER_DEMO_TEAM_SLUG:-demo}
TEAM_NAME=${MINITOWER_DEMO_TEAM_NAME:-Demo Team}
PASSWORD=${MINITOWER_DEMO_TEAM_PASSWORD:-demo-password}
BATCH_SIZE=${BATCH_SIZE:-5}
INTERVAL=${DEMO_INTERVAL:-3}
APP=hello-python
LOOP=0
case "${1:-}" in
  --loop) LOOP=1 ;;
  "") ;;
  *) echo "usage: $0 [--loop]" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

say() { printf '[demo] %s\n' "$*" >&2; }
# json_field NAME: the first string or number value of "NAME" in the JSON on stdin.
json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }

# A public, unauthenticated endpoint: /health is on the services' management port, not on $URL.
say "waiting for $URL/api/v1/auth/options"
for i in $(seq 1 60); do
  curl -fsS "$URL/api/v1/auth/options" >/dev/null 2>&1 && break
  [ "$i" = 60 ] && { say "no answer from $URL/api/v1/auth/options"; exit 1; }
  sleep 1
done

say "bootstrapping team $TEAM"
body=$(printf '{"slug":"%s","name":"%s","password":"%s"}' "$TEAM" "$TEAM_NAME" "$PASSWORD")
TOKEN=$(curl -sS -X POST "$URL/api/v1/bootstrap/team" -H "Authorization: Bearer $BOOTSTRAP" \
  -H 'Content-Type: application/json' -d "$body" | json_field token || true)
if [ -z "$TOKEN" ]; then
  say "bootstrap gave no token (team exists?): logging in"
  TOKEN=$(curl -sS -X POST "$URL/api/v1/teams/login" -H 'Content-Type: application/json' \
    -d "$(printf '{"slug":"%s","password":"%s"}' "$TEAM" "$PASSWORD")" | json_field token || true)
fi
[ -n "$TOKEN" ] || { say "could not get a team token"; exit 1; }
AUTH="Authorization: Bearer $TOKEN"

say "creating app $APP (409 if it exists is fine)"
curl -sS -o /dev/null -X POST "$URL/api/v1/apps" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"slug\":\"$APP\",\"description\":\"Demo workload\"}" || true

say "packaging examples/$APP"
(cd "$ROOT/examples/$APP" && tar -czf "$WORK/artifact.tar.gz" --exclude=__pycache__ -- *)
status=$(curl -sS -o "$WORK/upload.json" -w '%{http_code}' -X POST "$URL/api/v1/apps/$APP/versions" \
  -H "$AUTH" -F "artifact=@$WORK/artifact.tar.gz;type=application/gzip")
[ "$status" = 201 ] || { say "upload failed ($status): $(cat "$WORK/upload.json")"; exit 1; }
say "deployed version $(json_field version_no <"$WORK/upload.json")"

# submit NAME COUNT: creates a run and prints its id.
submit() {
  curl -sS -X POST "$URL/api/v1/apps/$APP/runs" -H "$AUTH" -H 'Content-Type: application/json' \
    -d "{\"input\":{\"name\":\"$1\",\"count\":$2}}" | json_field run_id
}

ids=()
for _ in $(seq 1 "$BATCH_SIZE"); do
  id=$(submit "run-$RANDOM" $((RANDOM % 3 + 1)))
  [ -n "$id" ] || { say "run creation failed"; exit 1; }
  ids+=("$id")
done
say "submitted runs ${ids[*]}"

if [ "$LOOP" = 1 ]; then
  say "one run every ${INTERVAL}s (Ctrl-C stops); Grafana http://localhost:3000, Prometheus http://localhost:9090"
  while true; do
    sleep "$INTERVAL"
    id=$(submit "loop-$RANDOM" $((RANDOM % 5 + 1)))
    say "run $id"
  done
fi

while true; do
  queued=0 running=0 done_ok=0 failed=0
  for id in "${ids[@]}"; do
    case $(curl -sS "$URL/api/v1/runs/$id" -H "$AUTH" | json_field status) in
      queued) queued=$((queued + 1)) ;;
      leased | running | cancelling) running=$((running + 1)) ;;
      completed) done_ok=$((done_ok + 1)) ;;
      *) failed=$((failed + 1)) ;;
    esac
  done
  say "queued=$queued running=$running completed=$done_ok failed=$failed"
  [ $((queued + running)) = 0 ] && break
  sleep 2
done
[ "$failed" = 0 ] || { say "$failed runs did not complete"; exit 1; }
say "all runs finished. UI http://localhost:8080, Grafana http://localhost:3000, Prometheus http://localhost:9090"
