# Shared settings of the local stack (sourced by pg.sh, kafka.sh and ../../mtw).
# Everything the stack writes (data, logs, pid files) lives under MTW_HOME.
: "${MTW_HOME:=/tmp/minitower-local}"
: "${MTW_PG_PORT:=55432}"
: "${MTW_KAFKA_PORT:=19092}"
# Always the next port, never inherited: a child stack (a test's private broker) must not reuse ours.
MTW_KAFKA_CONTROLLER_PORT=$((MTW_KAFKA_PORT + 1))
: "${MTW_DB_NAME:=minitower}"
: "${MTW_DB_USER:=minitower}"
: "${MTW_DB_PASSWORD:=minitower}"
: "${MTW_PG_FAST:=0}" # 1 = fsync/synchronous_commit off (tests only; never for benchmarks)
# MTW_DB_PASSWORD stays unexported: pg.sh is handed it explicitly, nothing else needs it.
export MTW_HOME MTW_PG_PORT MTW_KAFKA_PORT MTW_DB_NAME MTW_DB_USER MTW_PG_FAST

MTW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export MTW_ROOT
export MTW_JDBC_URL="jdbc:postgresql://127.0.0.1:${MTW_PG_PORT}/${MTW_DB_NAME}"
export MTW_KAFKA_BOOTSTRAP="127.0.0.1:${MTW_KAFKA_PORT}"

log() { printf '[mtw %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# pid_running PID: PID is a live process. `kill -0` alone also succeeds for a zombie (a crashed
# child not reaped yet), which would make `./mtw up -d` skip a dead service.
pid_running() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  case $state in Z*) return 1 ;; esac
}

# pid_alive FILE: the pid in FILE names a running process.
pid_alive() { [ -f "$1" ] && pid_running "$(cat "$1")"; }

# stop_pid FILE SECONDS: SIGTERM the process named in FILE, SIGKILL after SECONDS.
stop_pid() {
  local file=$1 wait=${2:-10} pid
  pid_alive "$file" || { rm -f "$file"; return 0; }
  pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((wait * 10))); do pid_running "$pid" || break; sleep 0.1; done
  pid_running "$pid" && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}
