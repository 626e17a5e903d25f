#!/usr/bin/env bash
# Entry point: builds the basilica jar when it is missing or older than the sources, then runs it.
#   ./scripts/basilica.sh provision configure --env production
#   ./scripts/basilica.sh --help
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/basilica.jar"

needs_build() {
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root/pom.xml" "$root/src/main" "$root/generators" -newer "$jar" -print -quit 2>/dev/null)" ]
}

if needs_build; then
  command -v mvn >/dev/null 2>&1 || {
    echo "basilica: Maven (mvn) is needed to build the tool; install it (Debian: apt-get install maven)" >&2
    exit 3
  }
  echo "basilica: building $(basename "$jar") ..." >&2
  log="$(mktemp)"
  if ! mvn -B -q -f "$root/pom.xml" -DskipTests package >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "basilica: the build failed (output above)" >&2
    exit 4
  fi
  rm -f "$log"
fi

export BASILICA_HOME="${BASILICA_HOME:-$root}"
# A short-lived CLI: the quick C1 compiler and the serial collector cost less CPU than the server
# defaults (measured in docs/performance.md). BASILICA_JAVA_OPTS replaces them.
exec java ${BASILICA_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -jar "$jar" "$@"
