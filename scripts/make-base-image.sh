#!/usr/bin/env bash
# Builds a small Debian 12 (bookworm) cloud-style base image for the local (QEMU) platform, from Debian's
# packages alone.
#
# Output (cached): ${AMI_BASE_IMAGE_DIR:-$HOME/.cache/ami-maven-plugin}/debian-12-base.qcow2
#   - a self-contained, BIOS-bootable disk (MBR, one ext4 partition labelled "root", GRUB in the MBR gap),
#     booted like any cloud image (Debian's genericcloud images boot the same way);
#   - beside it debian-12-base.vmlinuz / debian-12-base.initrd / debian-12-base.cmdline for direct kernel boot
#     (an optional optimisation; the disk does not need them);
#   - debian-12-base.stamp holding the version of this script that made it.
# The image has openssh-server, cloud-init (NoCloud datasource only; growpart grows the root partition to a
# bigger disk), linux-image-cloud-amd64, python3, sudo.
# cloud-init creates the default user "debian" (passwordless sudo) and authorizes the key from the NoCloud seed.
# Networking: net.ifnames=0 and a match-all systemd-networkd DHCP config; cloud-init's network config is off.
#
# Needs root and: debootstrap, qemu-utils, e2fsprogs, perl (all on a Debian build machine).
#
# Usage: scripts/make-base-image.sh [--force] [--dir DIR]
set -euo pipefail

VERSION=7
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
DIR=${AMI_BASE_IMAGE_DIR:-$HOME/.cache/ami-maven-plugin}
DISK_MB=${AMI_BASE_IMAGE_DISK_MB:-2048}
FORCE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --force) FORCE=1 ;;
        --dir) DIR=$2; shift ;;
        *) echo "usage: $0 [--force] [--dir DIR]" >&2; exit 2 ;;
    esac
    shift
done

NAME=debian-12-base
OUT=$DIR/$NAME.qcow2
STAMP=$DIR/$NAME.stamp

if [ "$FORCE" = 0 ] && [ -f "$OUT" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$VERSION" ]; then
    echo "base image up to date: $OUT"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "make-base-image.sh must run as root (debootstrap, chroot)" >&2
    exit 1
fi
for tool in debootstrap qemu-img mkfs.ext4 perl; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

mkdir -p "$DIR"
WORK=$(mktemp -d "$DIR/.build.XXXXXX")
ROOT=$WORK/root
MOUNTS=()

cleanup() {
    local rc=$?
    set +e
    for ((i=${#MOUNTS[@]}-1; i>=0; i--)); do
        umount -l "${MOUNTS[$i]}" 2>/dev/null
    done
    # debootstrap may leave its own mounts behind when it fails
    for m in $(grep -o " $ROOT[^ ]*" /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null; done
    if grep -q " $ROOT/" /proc/mounts; then
        echo "not deleting $WORK: something is still mounted under it" >&2
    else
        rm -rf --one-file-system "$WORK"
    fi
    if [ $rc != 0 ]; then
        echo "make-base-image.sh failed (exit $rc); cleaned up $WORK" >&2
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$(date +%s)
log() { echo "[$(( $(date +%s) - t0 ))s] $*"; }

# ---------------------------------------------------------------------------------------------------------------
log "debootstrap $SUITE (minbase)"
mkdir -p "$ROOT/etc/dpkg/dpkg.cfg.d"
# no docs, man pages or locales: set before the first package is unpacked
cat > "$ROOT/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/linda/*
EOF
debootstrap --variant=minbase --include=systemd-sysv,udev,kmod,dbus,netbase,iproute2 \
    "$SUITE" "$ROOT" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -30 "$WORK/debootstrap.log" >&2; exit 1; }
log "debootstrap done"

for m in proc sys dev dev/pts; do
    mount --bind "/$m" "$ROOT/$m"
    MOUNTS+=("$ROOT/$m")
done

cat > "$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
EOF
cat > "$ROOT/etc/apt/apt.conf.d/90local" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
# no services started in the chroot
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
chmod +x "$ROOT/usr/sbin/policy-rc.d"

# initramfs: only what a virtio VM needs, small and quick to load
mkdir -p "$ROOT/etc/initramfs-tools/conf.d"
cat > "$ROOT/etc/initramfs-tools/conf.d/local.conf" <<'EOF'
MODULES=list
COMPRESS=zstd
EOF
cat > "$ROOT/etc/initramfs-tools/modules" <<'EOF'
virtio_pci
virtio_blk
virtio_scsi
virtio_net
sd_mod
ata_piix
ahci
ext4
EOF
# the kernel's postinst must not try to install a boot loader into the chroot
echo 'do_symlinks = yes' > "$ROOT/etc/kernel-img.conf"

log "installing packages"
chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 sh -ec '
    apt-get update -qq
    apt-get install -y -qq zstd initramfs-tools linux-image-cloud-amd64 openssh-server cloud-init cloud-guest-utils python3 sudo \
        grub-pc-bin >/dev/null
    apt-get clean
' > "$WORK/apt.log" 2>&1 || { tail -30 "$WORK/apt.log" >&2; exit 1; }
log "packages installed"

# ---------------------------------------------------------------------------------------------------------------
log "configuring"
echo debian > "$ROOT/etc/hostname"
cat > "$ROOT/etc/hosts" <<'EOF'
127.0.0.1 localhost
127.0.1.1 debian
::1 localhost ip6-localhost ip6-loopback
EOF
echo 'LANG=C.UTF-8' > "$ROOT/etc/default/locale"
cat > "$ROOT/etc/fstab" <<'EOF'
LABEL=root / ext4 defaults,noatime,errors=remount-ro 0 1
EOF

# networking: any ethernet NIC, DHCP, via systemd-networkd; not waited for at boot
cat > "$ROOT/etc/systemd/network/80-dhcp.network" <<'EOF'
[Match]
Type=ether

[Network]
DHCP=yes

[DHCPv4]
UseDomains=yes
EOF
chroot "$ROOT" systemctl enable systemd-networkd.service >/dev/null 2>&1
chroot "$ROOT" systemctl mask systemd-networkd-wait-online.service >/dev/null 2>&1
# No DNS: VMs run with restrict=on, so slirp's resolver (10.0.2.3) never answers and every lookup (sudo looks up
# the host name) would hang for 2 x 5 s x attempts. With no nameserver line glibc asks 127.0.0.1, which refuses
# at once. This, not a stop job, is what made "sudo reboot" over SSH take ~90 s.
cat > "$ROOT/etc/resolv.conf" <<'EOF'
# the local platform's VMs have no outside network: no resolver (lookups fail at once instead of timing out)
options timeout:1 attempts:1
EOF

# fast shutdown and reboot: nothing may hold a reboot for the default 90 s
mkdir -p "$ROOT/etc/systemd/system.conf.d" "$ROOT/etc/systemd/user.conf.d" "$ROOT/etc/systemd/logind.conf.d"
cat > "$ROOT/etc/systemd/system.conf.d/10-fast-stop.conf" <<'EOF'
[Manager]
DefaultTimeoutStopSec=10s
DefaultTimeoutStartSec=60s
EOF
cat > "$ROOT/etc/systemd/user.conf.d/10-fast-stop.conf" <<'EOF'
[Manager]
DefaultTimeoutStopSec=5s
EOF
# kill SSH sessions (and their user managers) at shutdown instead of waiting for them
cat > "$ROOT/etc/systemd/logind.conf.d/10-kill.conf" <<'EOF'
[Login]
KillUserProcesses=yes
EOF
# things that only slow a VM's boot
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
        systemd-timesyncd.service; do
    chroot "$ROOT" systemctl mask "$unit" >/dev/null 2>&1 || true
done

# cloud-init: NoCloud only, no network config of its own, user "debian" with passwordless sudo
mkdir -p "$ROOT/etc/cloud/cloud.cfg.d"
cat > "$ROOT/etc/cloud/cloud.cfg.d/90-local.cfg" <<'EOF'
datasource_list: [ NoCloud, None ]
network: {config: disabled}
manage_etc_hosts: true
locale: C.UTF-8
ssh_genkeytypes: [ed25519, ecdsa]
ssh_deletekeys: true
disable_root: true
system_info:
  default_user:
    name: debian
    lock_passwd: true
    gecos: Debian
    groups: [adm, sudo]
    sudo: ["ALL=(ALL) NOPASSWD:ALL"]
    shell: /bin/bash
EOF
# sshd: only the host key types cloud-init generates; no DNS lookups
cat > "$ROOT/etc/ssh/sshd_config.d/10-local.conf" <<'EOF'
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_ecdsa_key
UseDNS no
PasswordAuthentication no
EOF
# per-instance state: host keys, machine id, logs
rm -f "$ROOT"/etc/ssh/ssh_host_*
: > "$ROOT/etc/machine-id"
rm -f "$ROOT/var/lib/dbus/machine-id"
rm -rf "$ROOT"/var/lib/cloud/* "$ROOT"/var/log/*.log "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin
rm -f "$ROOT/usr/sbin/policy-rc.d"

# boot loader: GRUB for BIOS, configured by hand (no os-prober, no update-grub, no device probing)
CMDLINE="root=LABEL=root ro console=tty0 console=ttyS0,115200n8 net.ifnames=0 biosdevname=0 quiet"
mkdir -p "$ROOT/boot/grub/i386-pc"
cp "$ROOT"/usr/lib/grub/i386-pc/*.mod "$ROOT"/usr/lib/grub/i386-pc/*.lst "$ROOT/boot/grub/i386-pc/"
cat > "$ROOT/boot/grub/grub.cfg" <<EOF
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
set default=0
menuentry 'Debian GNU/Linux 12' {
    search --no-floppy --label --set=root root
    linux /vmlinuz $CMDLINE
    initrd /initrd.img
}
EOF
chroot "$ROOT" grub-mkimage -O i386-pc -o /tmp/core.img -p '(hd0,msdos1)/boot/grub' \
    biosdisk part_msdos ext2 normal linux search search_label configfile serial terminal echo test
cp "$ROOT/tmp/core.img" "$WORK/core.img"
cp "$ROOT/usr/lib/grub/i386-pc/boot.img" "$WORK/boot.img"
rm -f "$ROOT/tmp/core.img"

# direct kernel boot files (optional, beside the image)
cp -L "$ROOT/vmlinuz" "$WORK/vmlinuz"
cp -L "$ROOT/initrd.img" "$WORK/initrd"

for ((i=${#MOUNTS[@]}-1; i>=0; i--)); do umount "${MOUNTS[$i]}"; done
MOUNTS=()
log "configured; used $(du -sm "$ROOT" | cut -f1) MB"

# ---------------------------------------------------------------------------------------------------------------
log "building disk"
PART_START=2048                       # sectors: 1 MiB, leaves room for GRUB's core.img
TOTAL_SECTORS=$((DISK_MB * 2048))
PART_SECTORS=$((TOTAL_SECTORS - PART_START))
truncate -s $((PART_SECTORS * 512)) "$WORK/part.raw"
mkfs.ext4 -q -L root -d "$ROOT" -E root_owner=0:0 "$WORK/part.raw"
truncate -s $((TOTAL_SECTORS * 512)) "$WORK/disk.raw"
# MBR: GRUB boot code (440 bytes), one bootable Linux partition, signature
dd if="$WORK/boot.img" of="$WORK/disk.raw" bs=440 count=1 conv=notrunc status=none
perl -e 'print pack("C C3 C C3 V V", 0x80, 0xfe,0xff,0xff, 0x83, 0xfe,0xff,0xff, $ARGV[0], $ARGV[1]), "\0" x 48, "\x55\xaa"' \
    "$PART_START" "$PART_SECTORS" | dd of="$WORK/disk.raw" bs=1 seek=446 conv=notrunc status=none
CORE_SECTORS=$(( ($(stat -c %s "$WORK/core.img") + 511) / 512 ))
[ "$CORE_SECTORS" -lt $((PART_START - 1)) ] || { echo "core.img too large" >&2; exit 1; }
dd if="$WORK/core.img" of="$WORK/disk.raw" bs=512 seek=1 conv=notrunc status=none
dd if="$WORK/part.raw" of="$WORK/disk.raw" bs=1M seek=1 conv=notrunc,sparse status=none
rm -f "$WORK/part.raw"

log "converting to compressed qcow2"
qemu-img convert -c -O qcow2 "$WORK/disk.raw" "$WORK/$NAME.qcow2"
rm -f "$WORK/disk.raw"

# install: files beside the image first, the stamp last
mv "$WORK/vmlinuz" "$DIR/$NAME.vmlinuz"
mv "$WORK/initrd" "$DIR/$NAME.initrd"
echo "$CMDLINE" > "$DIR/$NAME.cmdline"
mv "$WORK/$NAME.qcow2" "$OUT"
echo "$VERSION" > "$STAMP"
log "done: $OUT ($(du -m "$OUT" | cut -f1) MB)"
