# Local stand-in for python:3.12-slim-bookworm where no image registry is reachable: Debian's
# python3 (3.11) with the venv module. Built by deploy/containers/images.sh.
ARG DEBIAN_IMAGE=localhost/minitower-base/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
    && python3 -m venv /tmp/v && rm -rf /tmp/v
ENV LANG=C.UTF-8
CMD ["python3"]
