# shellcheck shell=bash disable=SC2034  # read by build-rootfs.sh, which sources this file
# The one place that says what the test fleet gets. Sourced by build-rootfs.sh; the hash of this
# file is part of the cache key, so any change here rebuilds the root filesystem and the repository.

# Debian release the test hosts run.
TESTFLEET_SUITE=bookworm

# Installed into the base root filesystem by debootstrap (--variant=minbase --include=...):
# what a host needs to boot under systemd-nspawn and be managed by Ansible over SSH.
TESTFLEET_ROOTFS_PACKAGES=(
  systemd systemd-sysv dbus     # a real init, so services run as they do on a fleet host
  openssh-server                # Ansible's transport
  python3                       # Ansible's modules
  sudo iproute2 procps          # become, ip/ss, ps/pgrep for debugging and for modules
  ca-certificates netbase       # TLS roots; /etc/services and /etc/protocols
  libnss-myhostname             # the host resolves its own name without DNS (sudo, Ansible facts)
)

# Downloaded (with everything they depend on that the root filesystem lacks) into the local apt
# repository that the hosts install from. The hosts have no route to Debian's archive, so anything
# convergence installs must be listed here. Extend it when the generated playbooks install more.
# grafana is not in Debian, so it is not here: a test that needs it must bring its own .deb.
TESTFLEET_REPO_PACKAGES=(
  ufw iptables nftables
  curl gnupg rsync acl logrotate
  python3-apt                   # Ansible's apt module
  docker.io
  prometheus-node-exporter prometheus prometheus-alertmanager
)

# Whether the repository also carries Recommends, as apt installs them by default on a real host.
TESTFLEET_REPO_RECOMMENDS=true
