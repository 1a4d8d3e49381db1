#!/usr/bin/env bash
# The test command: installs what is missing, then runs every layer of the suite:
# unit tests (surefire), endpoint and sshd ITs (failsafe), and the maven-invoker ITs in src/it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
args=(-B verify)
# as root, tests log in to their sshd as the unprivileged 'amitest'; otherwise as the current user
if [ "$(id -u)" -ne 0 ]; then args+=("-Dami.it.sshUser=$(id -un)"); fi
exec mvn "${args[@]}" "$@"
