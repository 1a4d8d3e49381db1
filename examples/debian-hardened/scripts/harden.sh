#!/bin/sh
# Runs as root (sudo). A small hardening: no root logins, no passwords, a banner, a release file.
set -eu
install -m 0644 -o root -g root /tmp/motd /etc/motd
rm -f /tmp/motd
mkdir -p /etc/ssh/sshd_config.d
cat > /etc/ssh/sshd_config.d/50-hardening.conf <<'CONF'
PermitRootLogin no
PasswordAuthentication no
X11Forwarding no
CONF
echo "debian-hardened ${IMAGE_VERSION} built $(date -u +%Y-%m-%dT%H:%M:%SZ)" > /etc/image-release
echo "hardening applied"
