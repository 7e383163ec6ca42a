# runner-agent image: the agent jar on a Python base, so workloads get python3 with venv (the
# official python image ships the venv module) and tar; the JRE comes from the Temurin image.
# Build from the repository root after `./mvnw -B package -DskipTests -pl runner-agent -am`:
#   docker build -f deploy/docker/runner-agent.Dockerfile -t minitower/runner-agent:0.1.0 .
#
# Every run executes in a bubblewrap sandbox (bubblewrap, plus util-linux's prlimit and procps'
# kill). The agent runs as the unprivileged user 10001, so bubblewrap builds each sandbox in an
# unprivileged user namespace (no setuid helper; works under no_new_privs and without any
# capability), and the agent refuses to start when it cannot. Engines forbid that by default; run
# the image with (from the repository root):
#   docker run --security-opt systempaths=unconfined \
#              --security-opt seccomp=k8s/base/runner-agent/seccomp.json --cap-drop ALL …
#   podman run --security-opt unmask=/proc/* \
#              --security-opt seccomp=k8s/base/runner-agent/seccomp.json --cap-drop ALL …
# - systempaths=unconfined / unmask=/proc/*: the engine masks parts of /proc, and the kernel then
#   refuses the sandbox its own /proc ("Can't mount proc on /newroot/proc: Operation not permitted").
# - seccomp.json: Docker's default profile refuses new namespaces, mount and pivot_root without
#   CAP_SYS_ADMIN ("No permissions to create new namespace"); Docker's and Podman's both refuse
#   sethostname ("Can't set hostname to minitower-run"). The file is Podman's default plus
#   sethostname/setdomainname; seccomp=unconfined works as well, with less protection.
# - AppArmor hosts (Docker): docker-default denies mount ("Failed to make / slave"): add
#   --security-opt apparmor=unconfined, or a profile of your own that allows userns and mount; where
#   the kernel restricts user namespaces of unconfined processes (Ubuntu 23.10+,
#   kernel.apparmor_restrict_unprivileged_userns=1) only such a profile works.
# - Kubernetes: k8s/base/runner-agent/deployment.yaml (hostUsers: false, procMount: Unmasked,
#   seccomp.json as the Localhost profile minitower/runner-agent.json).
# Never --privileged, never root: the sandbox needs neither. docs/deploy.md "Runner sandbox".
# Base images are build args: upstream by default; deploy/containers/images.sh passes local
# Debian-built ones (a JRE laid out like Temurin's, Debian's python3 with venv) where no image
# registry is reachable.
ARG JRE_IMAGE=eclipse-temurin:17.0.15_6-jre-jammy
ARG PYTHON_IMAGE=python:3.12.10-slim-bookworm
FROM ${JRE_IMAGE} AS jre

FROM ${PYTHON_IMAGE}
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH

RUN apt-get update \
    && apt-get install -y --no-install-recommends tar bubblewrap util-linux procps \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv --help >/dev/null \
    && bwrap --version && prlimit --version >/dev/null && command -v kill >/dev/null \
    && groupadd --system --gid 10001 minitower \
    && useradd --system --uid 10001 --gid minitower --create-home --home-dir /home/minitower --shell /bin/sh minitower \
    && mkdir -p /var/lib/minitower && chown 10001:10001 /var/lib/minitower

COPY --chown=10001:10001 runner-agent/target/minitower-runner.jar /opt/minitower/lib/minitower-runner.jar
COPY --chown=10001:10001 runner-agent/bin/minitower-runner /opt/minitower/bin/minitower-runner

ENV MINITOWER_DATA_DIR=/var/lib/minitower \
    MINITOWER_PYTHON_BIN=python3 \
    MINITOWER_RUNNER_JAVA_OPTS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
VOLUME ["/var/lib/minitower"]
# Healthy once registered: the agent keeps its runner token in the data dir.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=6 \
  CMD test -s "$MINITOWER_DATA_DIR/runner_token" || exit 1
# exec form: SIGTERM reaches the JVM (the launcher execs java), which drains running work first.
ENTRYPOINT ["/opt/minitower/bin/minitower-runner"]
