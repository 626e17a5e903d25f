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
java_opts=(${BASILICA_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC})

# Class data sharing (AppCDS): the classes a run loads (picocli, Jackson, SnakeYAML, Jinjava, ours),
# parsed and verified once into an archive beside the jar and mapped by later runs. The archive's
# name carries the jar's size and time stamp, so a rebuilt jar gets a new one; it is made once, by a
# small generate run, and anything that goes wrong only means a run without it. BASILICA_CDS=0 turns
# it off. -Xlog:disable keeps the JVM's own CDS notices off standard output.
cds_opts=()
if [ "${BASILICA_CDS:-1}" != 0 ]; then
  archive="$root/target/basilica-$(stat -c '%s-%Y' "$jar").jsa"
  if [ ! -f "$archive" ] && [ ! -f "$archive.failed" ]; then
    tmp="$(mktemp -d)"
    rm -f "$root"/target/basilica-*.jsa "$root"/target/basilica-*.jsa.failed
    if java "${java_opts[@]}" -XX:ArchiveClassesAtExit="$tmp/archive.jsa" -Xlog:disable -jar "$jar" \
         generate --quiet --file "$root/environments/development.yaml" --out "$tmp/out" >/dev/null 2>&1 \
       && [ -s "$tmp/archive.jsa" ]; then
      mv -f "$tmp/archive.jsa" "$archive" 2>/dev/null || true
    else
      : >"$archive.failed" 2>/dev/null || true # not again for this jar
    fi
    rm -rf "$tmp"
  fi
  [ -f "$archive" ] && cds_opts=(-XX:SharedArchiveFile="$archive" -Xlog:disable -Xlog:all=error:stderr)
fi
exec java "${java_opts[@]}" "${cds_opts[@]}" -jar "$jar" "$@"
