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
packages=(maven openjdk-17-jdk-headless systemd
  systemd-container debootstrap apt-utils iproute2 openssh-client curl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # The tests only need the tools: keep packages' daemons from starting on this machine, with a
    # policy-rc.d of our own unless one is already there.
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

mvn -B -ntp verify "$@"
# The committed development output must match the model (CI's generate --check).
BASILICA_HOME="$root" java -jar target/basilica.jar generate --env development --check
