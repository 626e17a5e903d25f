#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine: installs the tools the tests use, then runs
# every test and checks that the committed out/development/ is fresh.
#   ./scripts/test.sh            everything
#   ./scripts/test.sh -Dtest=X   extra arguments go to Maven
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Debian packages the tests drive for real. Installed only when missing, and only as root.
# systemd-container .. curl: the booted test fleet (docs/testing.md); its image is built and cached on first use.
# ansible .. ufw: the generated Ansible and monitoring files checked and converged for real (docs/ansible.md).
# docker.io: dockerd and the docker CLI for the Docker test fleet (DockerFleet, tests tagged "docker").
# git: pull mode's tests publish a repository (PullModeIT, PullWrapperRefTest); strace: AtomicFilesDurabilityTest.
packages=(maven openjdk-17-jdk-headless systemd
  systemd-container debootstrap apt-utils iproute2 openssh-client curl
  ansible ansible-lint yamllint prometheus prometheus-alertmanager ufw docker.io git strace)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # The tests only need the tools: keep the packages' daemons (prometheus, node exporter, ...) from
    # starting on this machine, with a policy-rc.d of our own unless one is already there.
    own_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ -n "$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
  else
    echo "test.sh: not root, cannot install ${missing[*]}; tests that need them will be skipped" >&2
  fi
fi

# The netfilter modules a converged host's own dockerd and ufw use inside its container (NAT for
# published ports, conntrack and addrtype matches, nf_tables through iptables-nft). A container cannot
# load modules from its own files, so load them here where the kernel has them as modules; loading
# adds no rule. br_netfilter stays out: it would send this machine's bridged traffic through iptables.
if [ "$(id -u)" = 0 ] && [ -d "/lib/modules/$(uname -r)" ] && command -v modprobe >/dev/null; then
  for m in nf_tables nft_compat nft_chain_nat nf_nat nf_conntrack xt_conntrack xt_addrtype \
      xt_MASQUERADE iptable_filter iptable_nat ip6table_filter ip6table_nat bridge veth; do
    modprobe -q "$m" 2>/dev/null || echo "test.sh: could not load kernel module $m (the docker tests may fail on it)" >&2
  done
fi

# A Docker daemon for the tests tagged "docker" (docs/testing.md, "The Docker test fleet"). One that
# already answers (DOCKER_HOST, or the default socket) is used as it is. Otherwise, as root, start our
# own: its own data root, exec root and socket in a temporary directory, and no change to this
# machine's firewall or forwarding (no iptables rules, no IP forwarding, no default bridge). It is
# stopped, by its PID, and its directory removed when this script exits.
own_dockerd_dir=""
stop_own_dockerd() {
  [ -n "$own_dockerd_dir" ] || return 0
  local pid
  pid="$(cat "$own_dockerd_dir/dockerd.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "test.sh: our dockerd ($pid) did not stop in 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$own_dockerd_dir" 2>/dev/null \
    || echo "test.sh: could not remove all of $own_dockerd_dir" >&2
  own_dockerd_dir=""
}
trap stop_own_dockerd EXIT
if command -v docker >/dev/null && docker version >/dev/null 2>&1; then
  echo "test.sh: using the Docker daemon at ${DOCKER_HOST:-the default socket}" >&2
elif [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null && command -v docker >/dev/null; then
  own_dockerd_dir="$(mktemp -d /tmp/basilica-dockerd.XXXXXX)"
  setsid dockerd --data-root "$own_dockerd_dir/data" --exec-root "$own_dockerd_dir/exec" \
    --pidfile "$own_dockerd_dir/dockerd.pid" -H "unix://$own_dockerd_dir/docker.sock" \
    --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
    </dev/null >"$own_dockerd_dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    docker -H "unix://$own_dockerd_dir/docker.sock" version >/dev/null 2>&1 && break
    sleep 0.5
  done
  if docker -H "unix://$own_dockerd_dir/docker.sock" version >/dev/null 2>&1; then
    echo "test.sh: started dockerd $(cat "$own_dockerd_dir/dockerd.pid") for the docker tests" >&2
    export DOCKER_HOST="unix://$own_dockerd_dir/docker.sock"
    # Testcontainers, when it runs inside a container (/.dockerenv), looks up the daemon's default
    # "bridge" network to find the daemon's address; ours has none (--bridge=none).
    export TESTCONTAINERS_HOST_OVERRIDE=localhost
  else
    echo "test.sh: our dockerd did not start; the docker tests will be skipped. Its log:" >&2
    tail -n 20 "$own_dockerd_dir/dockerd.log" >&2 || true
    stop_own_dockerd
  fi
else
  echo "test.sh: no Docker daemon and none to start (needs root and docker.io); the docker tests will be skipped" >&2
fi

mvn -B -ntp verify "$@"
# The committed development output must match the model (CI's generate --check).
BASILICA_HOME="$root" java -jar target/basilica.jar generate --env development --check
