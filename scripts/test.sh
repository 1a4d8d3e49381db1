#!/usr/bin/env bash
# The test command: installs what is missing, then runs every layer of the suite:
# unit tests (surefire), endpoint and sshd ITs (failsafe), and the maven-invoker ITs in src/it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# the base image the local-platform ITs boot (cached: returns at once when current)
if [ "$(id -u)" -eq 0 ]; then scripts/make-base-image.sh; else sudo env AMI_BASE_IMAGE_DIR="$HOME/.cache/ami-maven-plugin" scripts/make-base-image.sh; fi
args=(-B verify)
# as root, tests log in to their sshd as the unprivileged 'amitest'; otherwise as the current user
if [ "$(id -u)" -ne 0 ]; then args+=("-Dami.it.sshUser=$(id -un)"); fi
exec mvn "${args[@]}" "$@"
