# scheduler-service image: the Quarkus fast-jar from `./mvnw -B package -DskipTests -pl scheduler-service -am`.
# Build from the repository root:  docker build -f deploy/docker/scheduler-service.Dockerfile -t minitower/scheduler-service:0.1.0 .
# The base image is a build arg: upstream Temurin by default; deploy/containers/images.sh passes a
# local Debian-built JRE (localhost/minitower-base/jre:17) where no image registry is reachable.
ARG JRE_IMAGE=eclipse-temurin:17.0.15_6-jre-jammy
FROM ${JRE_IMAGE}

# curl for the HEALTHCHECK (kept if the base image already has it).
RUN command -v curl >/dev/null || (apt-get update && apt-get install -y --no-install-recommends curl \
      && rm -rf /var/lib/apt/lists/*) \
    && groupadd --system --gid 10001 minitower \
    && useradd --system --uid 10001 --gid minitower --home-dir /app --shell /usr/sbin/nologin minitower

WORKDIR /app
# The fast-jar layout, dependencies first so a code change rebuilds only the last layers.
COPY --chown=10001:10001 scheduler-service/target/quarkus-app/lib/ /app/lib/
COPY --chown=10001:10001 scheduler-service/target/quarkus-app/*.jar /app/
COPY --chown=10001:10001 scheduler-service/target/quarkus-app/app/ /app/app/
COPY --chown=10001:10001 scheduler-service/target/quarkus-app/quarkus/ /app/quarkus/

ENV MINITOWER_HTTP_PORT=8082 \
    MINITOWER_MANAGEMENT_PORT=9082 \
    MINITOWER_LOG_JSON=true \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
# 8082: the public API; 9082: the management port (/health, /ready, /metrics), never published.
EXPOSE 8082 9082
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=10 \
  CMD curl -fsS "http://127.0.0.1:${MINITOWER_MANAGEMENT_PORT}/health" >/dev/null || exit 1
# exec: java replaces the shell as PID 1 and gets SIGTERM directly (graceful shutdown, 10 s).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]
