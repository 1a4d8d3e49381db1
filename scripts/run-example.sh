#!/usr/bin/env bash
# The main job: builds, reboots, tests and releases the example image (examples/debian-hardened) on the local
# QEMU platform, with no cloud account. Installs what is missing and makes the base image first (cached).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ "$(id -u)" -eq 0 ]; then scripts/make-base-image.sh; else sudo env AMI_BASE_IMAGE_DIR="$HOME/.cache/ami-maven-plugin" scripts/make-base-image.sh; fi
mvn -B -q install -DskipTests -Dinvoker.skip=true
cd examples/debian-hardened
mkdir -p target
mvn -B deploy "$@" | tee target/main-job.log
echo
echo "Released image(s):"
grep -oE 'released [^ ]+ (in|at) .*' target/main-job.log
