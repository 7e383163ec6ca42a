# Container engine helpers, sourced by deploy/containers/images.sh, compose-check.sh and ../../mtw.
# Chooses the engine (docker when a Docker engine answers, else podman, installed from Debian when
# missing), gives podman the two settings this kind of machine needs (a private CONTAINERS_CONF,
# nothing in /etc changes), and runs podman's Docker-compatible API socket for Testcontainers and
# the compose clients. docs/deploy.md "Images" and "Container tests".
# shellcheck source=../local/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../local/env.sh"

# Everything of the engine helpers (settings file, socket, its log and pid) lives here.
: "${MTW_CT_DIR:=/tmp/minitower-containers}"
export MTW_CT_DIR

ct_apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; } \
    || die "could not install $* with apt-get"
}

# podman's settings for a host without systemd on a hybrid cgroup layout, where the hard limits are
# below podman's defaults: runc (crun refuses the hybrid layout), cgroupfs, file events, and ulimits
# within the hard limits (else "crun: setrlimit RLIMIT_NOFILE: Operation not permitted").
ct_podman_conf() {
  mkdir -p "$MTW_CT_DIR"
  # At most the shell's hard limits, and at most 20000 / 32768: above that runc's setrlimit is
  # refused here even where `ulimit -H` shows more ("error setting rlimit type 6").
  local nofile nproc
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] || [ "$nofile" -gt 20000 ] && nofile=20000
  [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
  cat >"$MTW_CT_DIR/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
# Exec sessions through the API (Testcontainers' waits and execs) keep a conmon process for this
# long after they end (default 300 s, Docker's behaviour): a few seconds, so none outlives a test.
exit_command_delay = 5
CONF
  export CONTAINERS_CONF="$MTW_CT_DIR/containers.conf"
}

# ct_engine: sets ENGINE (docker|podman), installing podman from Debian when neither is usable.
# MTW_ENGINE=podman|docker forces one.
ct_engine() {
  [ -n "${ENGINE:-}" ] && return 0
  if [ "${MTW_ENGINE:-}" != podman ] && command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; then
    ENGINE=docker
  elif [ "${MTW_ENGINE:-}" = docker ]; then
    die "docker not usable: $(timeout 10 docker info 2>&1 | tail -1)"
  else
    if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
      log "installing podman from Debian (podman, runc, buildah, debootstrap, podman-compose, network plugins)"
      ct_apt_install podman runc buildah debootstrap podman-compose uidmap slirp4netns fuse-overlayfs \
        golang-github-containernetworking-plugin-dnsname
    fi
    ct_podman_conf
    local why
    why=$(podman info 2>&1 >/dev/null) || die "podman not usable: $(printf '%s' "$why" | tail -3)"
    ENGINE=podman
  fi
  export ENGINE
}

# 0 when an image registry answers (Docker Hub); MTW_LOCAL_BASE=1 forces the local base images.
ct_registry_reachable() {
  [ "${MTW_LOCAL_BASE:-0}" = 1 ] && return 1
  [ "${MTW_LOCAL_BASE:-0}" = 0 ] && [ "${MTW_UPSTREAM_BASE:-0}" = 1 ] && return 0
  curl -sS -m 5 -o /dev/null https://registry-1.docker.io/v2/ 2>/dev/null
}

# The Docker API socket for Testcontainers and the compose clients: podman's own service
# (daemonless otherwise), or docker's. Exports DOCKER_HOST.
ct_socket_start() {
  ct_engine
  if [ "$ENGINE" = docker ]; then return 0; fi
  local sock="$MTW_CT_DIR/podman.sock"
  if ! pid_alive "$MTW_CT_DIR/podman-service.pid"; then
    rm -f "$sock"
    podman system service --time=0 "unix://$sock" >"$MTW_CT_DIR/podman-service.log" 2>&1 &
    echo $! >"$MTW_CT_DIR/podman-service.pid"
    for _ in $(seq 1 100); do
      curl -fsS --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 && break
      pid_alive "$MTW_CT_DIR/podman-service.pid" || { cat "$MTW_CT_DIR/podman-service.log" >&2; die "podman not usable: the API service exited"; }
      sleep 0.1
    done
    curl -fsS --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 || die "podman not usable: no answer on $sock after 10 s"
    log "podman API socket on unix://$sock"
  fi
  export DOCKER_HOST="unix://$sock"
}

ct_socket_stop() {
  [ -f "$MTW_CT_DIR/podman-service.pid" ] || return 0
  stop_pid "$MTW_CT_DIR/podman-service.pid" 10
  rm -f "$MTW_CT_DIR/podman.sock"
}
