#!/usr/bin/env bash
# Benchmark of `basilica generate` at fleet scale: the whole process as a user runs it, through
# scripts/basilica.sh (same JVM options, BASILICA_JAVA_OPTS honoured), for each fleet size.
#
#   ./scripts/bench.sh                         # 1,000 and 10,000 executors, 5 runs each
#   ./scripts/bench.sh --sizes "50 200" --runs 3   # a quick check
#
# For each size, several times each: a first generation into an empty directory ("first"), `cp -r` of
# its output (the floor for writing that tree), a regeneration with no change over the result ("again",
# which the inputs record in state/.generate/ lets stop after hashing the model), the same fleet with
# other model bytes ("read": the full way, with only MANIFEST.json to rewrite), and a regeneration of the same model with one more executor appended ("add one", then the original
# model is written back untimed). It measures wall time, CPU time (user + sys), peak resident memory
# (GNU time), the files and bytes written, and the paths touched (a find-based listing of name, inode,
# size and modification time of every entry before and after: entries that appear, disappear or
# differ). A regeneration with no change that touches anything fails the benchmark. Prints a table of
# medians, then the ratios issue 15 sets targets for: first / cp -r (<= 1.3x; also run by run, each first run over
# the cp -r that follows it, because this disk's speed at creating files drifts by several times between runs),
# again / first (<= 0.3x),
# add one - again (<= +1 s) with its paths touched (<= 20), and files per executor.
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
  sed -n '2,/^set -euo/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
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

# The model with one more executor appended to its hosts (before the first top-level key after them).
add_executor() {
  awk '
    /^$/ { blanks++; next }
    /^wallets:/ && !done {
      print "  - name: gpu-added-1"
      print "    address: 10.255.0.1"
      print "    roles: [executor]"
      print "    ssh: { user: ops, port: 22 }"
      print "    miner: miner-1"
      print "    gpus:"
      print "      - { model: H100, count: 8, driver_branch: \"570\" }"
      done = 1
    }
    { for (; blanks > 0; blanks--) print ""; print }
    END { if (!done) exit 1 }' "$1"
}
# Paths whose entry appeared, disappeared or changed (inode, size or time) between two snapshots.
touched() { { diff "$1" "$2" || true; } | sed -n 's/^[<>] \(.*\) [0-9]* [0-9]* [0-9.]*$/\1/p' | sort -u | wc -l; }
# Timed `cp -r`; appends "wall cpu rss_mb load" to $3.
timed_cp() {
  local before; before="$(load1)"
  rm -rf "$2"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" cp -r "$1" "$2"
  awk -v load="$before" '{ printf "%.2f %.2f %.0f %s\n", $1, $2 + $3, $4 / 1024, load }' "$work/time" >>"$3"
  rm -rf "$2"
}

results="$work/results"
ratios="$work/ratios"
: >"$results"
: >"$ratios"
for n in $sizes; do
  # The model at one path for every run of this size: the generated files name the model they come
  # from, so "add one" changes the model file's content, not its name (as an operator would).
  mkdir -p "$work/models"
  model="$work/models/fleet-$n.yaml"
  if [ -f "$root/examples/fleet-$n.yaml" ]; then
    cp "$root/examples/fleet-$n.yaml" "$work/fleet-$n.yaml"
  else
    "$basilica" bench model --executors "$n" --output "$work/fleet-$n.yaml" >/dev/null
  fi
  cp "$work/fleet-$n.yaml" "$model"
  plus="$work/fleet-$n-plus-one.yaml"
  add_executor "$model" >"$plus" || { echo "bench: cannot append an executor to $model (no top-level 'wallets:')" >&2; exit 1; }
  out="$work/out-$n"
  for kind in first copy again read add; do : >"$work/$kind-$n"; done
  : >"$work/touched-$n"
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    timed "$out" "$work/first-$n" generate --quiet --file "$model" --out "$out"
    timed_cp "$out" "$work/copy-$n" "$work/copy-$n.times"
  done
  mv "$work/copy-$n.times" "$work/copy-$n"
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
  # "read": the same fleet, but the model's bytes differ (a trailing comment), so the run takes the full
  # way (model read, plan, render, compare) that the inputs record lets "again" skip; only MANIFEST.json,
  # which carries the model's digest, changes.
  for _ in $(seq "$runs"); do
    { cat "$work/fleet-$n.yaml"; echo "# bench: the same fleet, other bytes"; } >"$model"
    timed "$out" "$work/read-$n" generate --quiet --file "$model" --out "$out"
    cp "$work/fleet-$n.yaml" "$model"
    "$basilica" generate --quiet --file "$model" --out "$out" >/dev/null # back to the original, untimed
  done
  for _ in $(seq "$runs"); do
    snapshot "$out" >"$work/before"
    cp "$plus" "$model"
    timed "$out" "$work/add-$n" generate --quiet --file "$model" --out "$out"
    snapshot "$out" >"$work/after"
    touched "$work/before" "$work/after" >>"$work/touched-$n"
    added_files="$(( $(find "$out" -type f | wc -l) - files ))"
    cp "$work/fleet-$n.yaml" "$model"
    "$basilica" generate --quiet --file "$model" --out "$out" >/dev/null # back to the original, untimed
  done
  for kind in first copy again read add; do
    f="$work/$kind-$n"
    case "$kind" in first) w_files="$files"; w_bytes="$bytes" ;; copy) w_files="$files"; w_bytes="$bytes" ;; again) w_files=0; w_bytes=0 ;; read) w_files=1; w_bytes="-" ;; add) w_files="-"; w_bytes="-" ;; esac
    printf '%s %s %s %s %s %s %s %s %s\n' "$n" "$kind" \
      "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)" \
      "$w_files" "$w_bytes" "$(if [ "$kind" = add ]; then median <"$work/touched-$n"; elif [ "$kind" = again ]; then echo 0; else echo -; fi)" \
      "$(cut -d' ' -f4 "$f" | median)" >>"$results"
  done
  awk -v n="$n" -v files="$files" -v added="$added_files" \
      -v first="$(cut -d' ' -f1 "$work/first-$n" | median)" -v copy="$(cut -d' ' -f1 "$work/copy-$n" | median)" \
      -v again="$(cut -d' ' -f1 "$work/again-$n" | median)" -v add="$(cut -d' ' -f1 "$work/add-$n" | median)" \
      -v read="$(cut -d' ' -f1 "$work/read-$n" | median)" \
      -v touched="$(sort -g "$work/touched-$n" | tail -1)" \
      -v pairs="$(paste -d' ' <(cut -d' ' -f1 "$work/first-$n") <(cut -d' ' -f1 "$work/copy-$n") \
                  | awk '$2 > 0 { printf "%.2f\n", $1 / $2 }' | sort -g | awk '{ v[NR] = $1 } END {
                      if (NR == 0) print "-"; else printf "%s (%s to %s over %d pairs)", v[int((NR + 1) / 2)], v[1], v[NR], NR }')" '
    function verdict(ok) { return ok ? "ok" : "MISSED" }
    BEGIN {
      printf "%s executors:\n", n
      printf "  first / cp -r:          %.2fx (%s s / %s s; target <= 1.3x: %s)\n", first / copy, first, copy, verdict(first / copy <= 1.3)
      printf "  first / cp -r, by pair: %s: each first run over the cp -r right after it, on the same disk state\n", pairs
      printf "  again / first:          %.2fx (%s s / %s s; target <= 0.3x: %s)\n", again / first, again, first, verdict(again / first <= 0.3)
      printf "  read / first:           %.2fx (%s s / %s s; the full way of a run whose model bytes changed, no target)\n", read / first, read, first
      printf "  add one - again:        %+.2f s (%s s - %s s; target <= +1 s: %s)\n", add - again, add, again, verdict(add - again <= 1)
      printf "  add one - read:         %+.2f s (%s s - %s s; the change itself, over a full no-change run)\n", add - read, add, read
      printf "  paths touched, add one: %d at most (target <= 20: %s)\n", touched, verdict(touched <= 20)
      printf "  files per executor:     %.2f in the tree (%d files / %d executors); %d added by one more executor\n", files / n, files, n, added
    }' >>"$ratios"
done

echo "Medians of $runs runs each (first: into an empty directory; cp -r: of first's output; again: the same model"
echo "over its own output, which the inputs record in state/.generate/ lets stop early; read: the same fleet with"
echo "other model bytes, the full way with nothing to write but the manifest; add one: the model with one more"
echo "executor, over the original's output)."
printf '%-10s %-6s %8s %8s %9s %8s %12s %8s %6s\n' executors run "wall s" "cpu s" "peak MB" files "bytes" touched load
while read -r n kind wall cpu rss files bytes touched load; do
  case "$kind" in copy) kind="cp -r" ;; add) kind="add 1" ;; esac
  printf '%-10s %-6s %8s %8s %9s %8s %12s %8s %6s\n' "$n" "$kind" "$wall" "$cpu" "$rss" "$files" "$bytes" "$touched" "$load"
done <"$results"
echo "Every regeneration with no change wrote nothing."
echo
echo "Ratios (targets from issue 15; wall-time medians):"
cat "$ratios"
echo

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
