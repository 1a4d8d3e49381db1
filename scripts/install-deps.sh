#!/usr/bin/env bash
# Installs what the build, the tests and the local platform need on Debian 12, as root (or through sudo).
# Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  openjdk-17-jdk-headless maven        # the build
  openssh-server openssh-client        # the real sshd that stands in for instances in tests
  packer                               # Packer 1.6.6, run against the EC2 test endpoint for comparison
  qemu-system-x86 qemu-utils debootstrap genisoimage e2fsprogs # the local platform, its base image, NoCloud seeds
  ansible                              # the ansible provisioner and its ITs
  python3-testinfra ruby-serverspec    # the testinfra and serverspec verifiers and their ITs
  procps iproute2                      # pgrep/kill and ss, used by tests
)
if [ "${1:-}" = "--list" ]; then printf '%s\n' "${packages[@]}"; exit 0; fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Tests run their sshd as this unprivileged account when they run as root, so that provisioning in tests can
# never touch more of the host than that account may.
if [ "$(id -u)" -eq 0 ] && ! id amitest >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash amitest
fi
echo "dependencies ready"
