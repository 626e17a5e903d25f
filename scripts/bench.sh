#!/usr/bin/env bash
# Benchmark of `basilica generate` at fleet scale: the whole process as a user runs it, through
# scripts/basilica.sh (same JVM options, BASILICA_JAVA_OPTS honoured), for each fleet size.
#
#   ./scripts/bench.sh                         # 1,000 and 10,000 executors, 5 runs each
#   ./scripts/bench.sh --sizes "50 200" --runs 3   # a quick check
#
# For each size it runs a first generation into an empty directory and a regeneration with no change
# over the result, several times each, measuring wall time, CPU time (user + sys), peak resident
# memory (GNU time), and the files and bytes written. A regeneration that writes anything (an inode,
# a time stamp or a name changes anywhere in the tree) fails the benchmark. Prints a table of medians.
#
# Then, when ansible-playbook is installed, Ansible's start-up on one host of the generated inventory of
# the --ansible fleet size (10,000 executors unless told; 0 leaves it out) against the development
# environment's: `ansible-playbook site.yml --limit 'executors[0]' --list-tasks` from each generated
# ansible/ directory (its ansible.cfg), run R times each, and the ratio of the medians.
# See docs/performance.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes="1000 10000"
runs=5
ansible_size=10000

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo "Options: --sizes \"N ...\"  --runs R  (R >= 1)  --ansible N  (0: no Ansible start-up comparison)"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --ansible) ansible_size="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "bench: --runs needs a whole number of 1 or more" >&2; exit 2 ;; esac
case "$ansible_size" in ''|*[!0-9]*) echo "bench: --ansible needs a whole number (0 to leave it out)" >&2; exit 2 ;; esac

if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
  echo "bench: GNU time (/usr/bin/time) is needed for CPU time and peak memory; install it (Debian: apt-get install time)" >&2
  exit 3
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
basilica="$root/scripts/basilica.sh"

# Build the jar (and its class data archive) before timing anything.
"$basilica" --version >/dev/null

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# Every entry of the tree with its inode, size and modification time: equal listings mean nothing was written.
snapshot() { (cd "$1" && find . -printf '%p %i %s %T@\n' | LC_ALL=C sort); }

# One timed run; appends "wall cpu rss_mb load" to $2.
timed() {
  local out="$1" record="$2"; shift 2
  local before; before="$(load1)"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$basilica" "$@" >"$work/stdout" 2>"$work/stderr" || {
    echo "bench: basilica $* failed:" >&2
    cat "$work/stderr" >&2
    exit 1
  }
  awk -v load="$before" '{ printf "%.2f %.2f %.0f %s\n", $1, $2 + $3, $4 / 1024, load }' "$work/time" >>"$record"
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
echo "java:    $(java -version 2>&1 | head -1)"
echo "options: ${BASILICA_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC (scripts/basilica.sh defaults)}; CDS ${BASILICA_CDS:-1}"
echo "start:   $(uptime)"
echo

results="$work/results"
: >"$results"
for n in $sizes; do
  model="$root/examples/fleet-$n.yaml"
  if [ ! -f "$model" ]; then
    model="$work/fleet-$n.yaml"
    "$basilica" bench model --executors "$n" --output "$model" >/dev/null
  fi
  out="$work/out-$n"
  : >"$work/first-$n"
  : >"$work/again-$n"
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    timed "$out" "$work/first-$n" generate --quiet --file "$model" --out "$out"
  done
  files="$(find "$out" -type f | wc -l)"
  bytes="$(find "$out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
  for _ in $(seq "$runs"); do
    snapshot "$out" >"$work/before"
    timed "$out" "$work/again-$n" generate --file "$model" --out "$out"
    snapshot "$out" >"$work/after"
    if ! cmp -s "$work/before" "$work/after" || ! grep -q 'nothing written' "$work/stdout"; then
      echo "bench: FAILED: a regeneration with no change wrote to $out (fleet of $n):" >&2
      diff "$work/before" "$work/after" | head -20 >&2 || true
      cat "$work/stdout" >&2
      exit 1
    fi
  done
  for kind in first again; do
    f="$work/$kind-$n"
    printf '%s %s %s %s %s %s %s %s\n' "$n" "$kind" \
      "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)" \
      "$(if [ "$kind" = first ]; then echo "$files"; else echo 0; fi)" \
      "$(if [ "$kind" = first ]; then echo "$bytes"; else echo 0; fi)" \
      "$(cut -d' ' -f4 "$f" | median)" >>"$results"
  done
done

echo "Medians of $runs runs each (first: into an empty directory; again: the same model over its own output)."
printf '%-10s %-6s %8s %8s %9s %8s %12s %6s\n' executors run "wall s" "cpu s" "peak MB" files "bytes" load
while read -r n kind wall cpu rss files bytes load; do
  printf '%-10s %-6s %8s %8s %9s %8s %12s %6s\n' "$n" "$kind" "$wall" "$cpu" "$rss" "$files" "$bytes" "$load"
done <"$results"
echo "Every regeneration with no change wrote nothing."

# Ansible's start-up on one host: the large inventory against the development environment's.
if [ "$ansible_size" -gt 0 ] && command -v ansible-playbook >/dev/null 2>&1; then
  model="$root/examples/fleet-$ansible_size.yaml"
  if [ ! -f "$model" ]; then
    model="$work/fleet-$ansible_size.yaml"
    "$basilica" bench model --executors "$ansible_size" --output "$model" >/dev/null
  fi
  large="$work/out-$ansible_size"
  [ -d "$large/ansible" ] || "$basilica" generate --quiet --file "$model" --out "$large" >/dev/null
  "$basilica" generate --quiet --file "$root/environments/development.yaml" --out "$work/out-development" >/dev/null
  # One timed start-up; appends "wall cpu load" to $2.
  startup() {
    local before; before="$(load1)"
    (cd "$1/ansible" && /usr/bin/time -f '%e %U %S' -o "$work/time" \
      ansible-playbook site.yml --limit 'executors[0]' --list-tasks >"$work/stdout" 2>&1) || {
      echo "bench: ansible-playbook --list-tasks failed in $1/ansible:" >&2
      tail -20 "$work/stdout" >&2
      exit 1
    }
    awk -v load="$before" '{ printf "%.2f %.2f %s\n", $1, $2 + $3, load }' "$work/time" >>"$2"
  }
  : >"$work/ansible-dev"
  : >"$work/ansible-large"
  for _ in $(seq "$runs"); do   # alternated, so both see the same load
    startup "$work/out-development" "$work/ansible-dev"
    startup "$large" "$work/ansible-large"
  done
  echo
  echo "Ansible start-up on one host: ansible-playbook site.yml --limit 'executors[0]' --list-tasks, medians of $runs runs."
  printf '%-22s %8s %8s %6s\n' inventory "wall s" "cpu s" load
  for kind in dev large; do
    f="$work/ansible-$kind"
    printf '%-22s %8s %8s %6s\n' "$(if [ "$kind" = dev ]; then echo development; else echo "$ansible_size executors"; fi)" \
      "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)"
  done
  awk -v dw="$(cut -d' ' -f1 "$work/ansible-dev" | median)" -v lw="$(cut -d' ' -f1 "$work/ansible-large" | median)" \
      -v dc="$(cut -d' ' -f2 "$work/ansible-dev" | median)" -v lc="$(cut -d' ' -f2 "$work/ansible-large" | median)" \
      -v n="$ansible_size" 'BEGIN { printf "ratio %s executors / development: wall %.2fx, cpu %.2fx (target <= 2x)\n", n, lw / dw, lc / dc }'
elif [ "$ansible_size" -gt 0 ]; then
  echo
  echo "Ansible start-up: left out (ansible-playbook is not installed)."
fi
echo
echo "end:     $(uptime)"
