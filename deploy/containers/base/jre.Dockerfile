# Local stand-in for eclipse-temurin:17-jre where no image registry is reachable: Debian's
# OpenJDK 17 JRE (headless), laid out like the Temurin image (JAVA_HOME=/opt/java/openjdk), plus curl
# for the services' HEALTHCHECK. Built by deploy/containers/images.sh; never needed with a registry.
ARG DEBIAN_IMAGE=localhost/minitower-base/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
    && mkdir -p /opt/java \
    && cp -rL /usr/lib/jvm/java-17-openjdk-amd64 /opt/java/openjdk \
    && rm -rf /usr/lib/jvm/java-17-openjdk-amd64 \
    && ln -s /opt/java/openjdk /usr/lib/jvm/java-17-openjdk-amd64 \
    && /opt/java/openjdk/bin/java -version
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
CMD ["jshell"]
