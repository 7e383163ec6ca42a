#!/usr/bin/env bash
# Builds the container images: the four of the project (api-service, runner-service,
# scheduler-service, runner-agent, from deploy/docker/*.Dockerfile) and, where no image registry is
# reachable, local stand-ins for every image the compose stack and ContainerStackIT pull: base images
# (Debian bookworm by debootstrap, a JRE, Python) and PostgreSQL, Kafka, the Flyway migration job
# and the nginx gateway. Engine: docker when a Docker engine answers, else podman (installed from
# Debian when missing). Usage (from ../../mtw images):
#   deploy/containers/images.sh [--skip-jars]   --skip-jars: reuse the packaged services
# Settings: MTW_LOCAL_BASE=1 local bases even with a registry; MTW_UPSTREAM_BASE=1 never local;
# MTW_SKIP_BUILD=1 same as --skip-jars when the jars exist. Writes $MTW_CT_DIR/images.env (the
# image names, for compose-check.sh and ContainerStackIT). docs/deploy.md "Images".
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
cd "$MTW_ROOT"

skip_jars=${MTW_SKIP_BUILD:-0}
for a in "$@"; do
  case "$a" in
    --skip-jars) skip_jars=1 ;;
    *) echo "usage: $0 [--skip-jars]" >&2; exit 2 ;;
  esac
done

VERSION=0.1.0-SNAPSHOT
PROJECT_IMAGES="api-service runner-service scheduler-service runner-agent"
started=$(date +%s)
ct_engine

# build TAG CONTEXT DOCKERFILE [BUILD-ARG…]: docker or podman; podman keeps HEALTHCHECK only in the
# docker format, and never pulls what a local tag provides.
build() {
  local tag=$1 ctx=$2 file=$3 t0
  shift 3
  local args=()
  for a in "$@"; do args+=(--build-arg "$a"); done
  t0=$(date +%s)
  if [ "$ENGINE" = podman ]; then
    local pull=(--pull=missing)
    [ "$LOCAL_BASE" = 1 ] && pull=(--pull=never)
    podman build -q --format docker "${pull[@]}" --layers -t "$tag" -f "$file" "${args[@]}" "$ctx" >"$MTW_CT_DIR/build.log" 2>&1 \
      || { tail -n 40 "$MTW_CT_DIR/build.log" >&2; die "image $tag: build failed (log $MTW_CT_DIR/build.log)"; }
  else
    docker build -q -t "$tag" -f "$file" "${args[@]}" "$ctx" >"$MTW_CT_DIR/build.log" 2>&1 \
      || { tail -n 40 "$MTW_CT_DIR/build.log" >&2; die "image $tag: build failed (log $MTW_CT_DIR/build.log)"; }
  fi
  log "image $tag built in $(($(date +%s) - t0)) s"
}

have_image() { "$ENGINE" image inspect "$1" >/dev/null 2>&1; }

# Debian bookworm from the mirror apt already uses, imported as a base image (podman or docker).
debian_base() {
  local tag=localhost/minitower-base/debian:bookworm
  if [ "$ENGINE" = docker ]; then tag=minitower-base/debian:bookworm; fi
  DEBIAN_IMAGE=$tag
  have_image "$tag" && return 0
  command -v debootstrap >/dev/null 2>&1 || ct_apt_install debootstrap
  local mirror rootfs="$MTW_CT_DIR/rootfs" t0
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  [ -n "$mirror" ] || mirror=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  t0=$(date +%s)
  log "debootstrap Debian bookworm (minbase) from $mirror"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$MTW_CT_DIR/debootstrap.log" 2>&1 \
    || { tail -n 20 "$MTW_CT_DIR/debootstrap.log" >&2; die "debootstrap failed (log $MTW_CT_DIR/debootstrap.log)"; }
  # The same suites (updates, security) and mirrors as the host; snapshot mirrors need the
  # Valid-Until check off.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    rm -f "$rootfs/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/debian.sources"
  fi
  printf 'Acquire::Check-Valid-Until "false";\n' >"$rootfs/etc/apt/apt.conf.d/99minitower"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >>"$rootfs/etc/apt/apt.conf.d/99minitower"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | "$ENGINE" import --change 'CMD ["/bin/bash"]' - "$tag" >/dev/null
  rm -rf "$rootfs"
  log "image $tag imported in $(($(date +%s) - t0)) s"
}

if ct_registry_reachable; then
  LOCAL_BASE=0
  log "base images: upstream (a registry answers)"
  JRE_IMAGE=eclipse-temurin:17.0.15_6-jre-jammy
  PYTHON_IMAGE=python:3.12.10-slim-bookworm
  POSTGRES_IMAGE=postgres:16.9-bookworm
  KAFKA_IMAGE=apache/kafka:4.0.0
  FLYWAY_IMAGE=flyway/flyway:12.0.0
  GATEWAY_IMAGE=nginx:1.27.5-alpine
  PROMETHEUS_IMAGE=prom/prometheus:v3.4.0
  GRAFANA_IMAGE=grafana/grafana:11.6.0
else
  LOCAL_BASE=1
  log "no image registry reachable: building local base images from Debian packages" \
    "(JRE, Python, PostgreSQL 15, Kafka and Flyway from Maven Central, nginx); Prometheus and Grafana have none"
  debian_base
  p=localhost/
  [ "$ENGINE" = docker ] && p=
  JRE_IMAGE=${p}minitower-base/jre:17
  PYTHON_IMAGE=${p}minitower-base/python:3-bookworm
  POSTGRES_IMAGE=${p}minitower-deps/postgres:15
  KAFKA_IMAGE=${p}minitower-deps/kafka:4.4.0
  FLYWAY_IMAGE=${p}minitower-deps/flyway:12.0.0
  GATEWAY_IMAGE=${p}minitower-deps/nginx:1.22
  PROMETHEUS_IMAGE=
  GRAFANA_IMAGE=
  have_image "$JRE_IMAGE" || build "$JRE_IMAGE" "$HERE/base" "$HERE/base/jre.Dockerfile" "DEBIAN_IMAGE=$DEBIAN_IMAGE"
  have_image "$PYTHON_IMAGE" || build "$PYTHON_IMAGE" "$HERE/base" "$HERE/base/python.Dockerfile" "DEBIAN_IMAGE=$DEBIAN_IMAGE"
  have_image "$POSTGRES_IMAGE" || build "$POSTGRES_IMAGE" "$HERE/postgres" "$HERE/postgres/Dockerfile" "DEBIAN_IMAGE=$DEBIAN_IMAGE"
  have_image "$GATEWAY_IMAGE" || build "$GATEWAY_IMAGE" "$HERE/gateway" "$HERE/gateway/Dockerfile" "DEBIAN_IMAGE=$DEBIAN_IMAGE"
  if ! have_image "$KAFKA_IMAGE"; then
    log "Kafka broker jars from Maven Central (deploy/local/kafka/pom.xml)"
    rm -rf "$HERE/target/kafka-libs"
    "$MTW_ROOT/mvnw" -B -q -f "$MTW_ROOT/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$HERE/target/kafka-libs" -DincludeScope=runtime >&2
    build "$KAFKA_IMAGE" "$HERE" "$HERE/kafka/Dockerfile" "JRE_IMAGE=$JRE_IMAGE"
  fi
  if ! have_image "$FLYWAY_IMAGE"; then
    log "Flyway jars from Maven Central (deploy/containers/flyway/pom.xml)"
    "$MTW_ROOT/mvnw" -B -q -f "$HERE/flyway/pom.xml" package >&2
    build "$FLYWAY_IMAGE" "$HERE" "$HERE/flyway/Dockerfile" "JRE_IMAGE=$JRE_IMAGE"
  fi
fi

# The project's images copy the packaged services (the same jars the tests run), so Maven runs
# once on the host, not in every image build.
jars_ok=1
for m in api-service runner-service scheduler-service; do [ -f "$m/target/quarkus-app/quarkus-run.jar" ] || jars_ok=0; done
[ -f runner-agent/target/minitower-runner.jar ] || jars_ok=0
if [ "$skip_jars" != 1 ] || [ "$jars_ok" != 1 ]; then
  log "packaging the services and the agent (./mvnw package -DskipTests)"
  ./mvnw -B -q -pl api-service,runner-service,scheduler-service,runner-agent -am package -DskipTests -Dspotless.check.skip=true >&2
fi
for m in $PROJECT_IMAGES; do
  build "minitower/$m:$VERSION" . "deploy/docker/$m.Dockerfile" "JRE_IMAGE=$JRE_IMAGE" "PYTHON_IMAGE=$PYTHON_IMAGE"
  # Sound images: a non-root user and the HEALTHCHECK (podman drops it in the OCI format).
  user=$("$ENGINE" image inspect --format '{{.Config.User}}' "minitower/$m:$VERSION")
  hc=$("$ENGINE" image inspect --format '{{.Config.Healthcheck}}' "minitower/$m:$VERSION")
  case "$user" in "" | root | 0 | 0:*) die "image minitower/$m:$VERSION runs as root (USER '$user')" ;; esac
  case "$hc" in "" | "<nil>" | "{[] 0s 0s 0s 0}") die "image minitower/$m:$VERSION has no HEALTHCHECK" ;; esac
done

p=
[ "$ENGINE" = podman ] && p=localhost/
cat >"$MTW_CT_DIR/images.env" <<ENV
# Written by deploy/containers/images.sh ($ENGINE, local bases: $LOCAL_BASE)
MTW_CONTAINER_ENGINE=$ENGINE
MTW_IMAGE_API=${p}minitower/api-service:$VERSION
MTW_IMAGE_RUNNER=${p}minitower/runner-service:$VERSION
MTW_IMAGE_SCHEDULER=${p}minitower/scheduler-service:$VERSION
MTW_IMAGE_AGENT=${p}minitower/runner-agent:$VERSION
MTW_IMAGE_POSTGRES=$POSTGRES_IMAGE
MTW_IMAGE_KAFKA=$KAFKA_IMAGE
MTW_IMAGE_FLYWAY=$FLYWAY_IMAGE
MTW_IMAGE_GATEWAY=$GATEWAY_IMAGE
MTW_IMAGE_PROMETHEUS=$PROMETHEUS_IMAGE
MTW_IMAGE_GRAFANA=$GRAFANA_IMAGE
ENV
log "images ($ENGINE) in $(($(date +%s) - started)) s:"
# shellcheck disable=SC1091
. "$MTW_CT_DIR/images.env"
for img in "$MTW_IMAGE_API" "$MTW_IMAGE_RUNNER" "$MTW_IMAGE_SCHEDULER" "$MTW_IMAGE_AGENT" \
  "$MTW_IMAGE_POSTGRES" "$MTW_IMAGE_KAFKA" "$MTW_IMAGE_FLYWAY" "$MTW_IMAGE_GATEWAY"; do
  if have_image "$img"; then
    printf '  %-55s %s\n' "$img" "$("$ENGINE" image inspect --format '{{.Size}}' "$img" | awk '{printf "%.0f MB", $1/1000000}')" >&2
  else
    printf '  %-55s %s\n' "$img" "(pulled on first use)" >&2
  fi
done
[ "$LOCAL_BASE" = 1 ] && log "not built (no registry, no Debian package that fits): Grafana; Prometheus (Debian has only 2.42)"
exit 0
