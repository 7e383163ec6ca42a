#!/bin/sh
# hello-shell: inputs arrive as environment variables; defaults are applied here.
set -eu
name=${name:-World}
echo "Hello, ${name}, from run #${MINITOWER_RUN_NO} of ${MINITOWER_APP} v${MINITOWER_VERSION}"
echo "working directory: $(basename "$PWD"), shell: $(uname -s)"
echo "done" >&2
