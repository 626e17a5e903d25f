#!/usr/bin/env bash
# Stops and removes test fleets: their systemd-nspawn hosts, network namespaces and interfaces.
# It touches only what carries the test fleet's prefix (bftfN-*, bftfN_hub, bftfN) and only processes
# that run inside those namespaces or that a fleet's state file names and that are systemd-nspawn
# for that fleet.
#
# Usage: cleanup.sh [--stale | --all | --run N | --list]
#   --stale   (default) fleets whose JVM is gone, except fleets kept with BASILICA_TESTFLEET_KEEP=1
#   --all     every fleet, including kept and live ones
#   --run N   the fleet bftfN
#   --list    show the fleets and remove nothing
# The state files are in /run/basilica-testfleet/ (one per fleet, written by TestFleet); a removed
# fleet's temporary directory (keys, known_hosts, console logs) named there is deleted too.
set -euo pipefail

state_dir=/run/basilica-testfleet
netns_dir=/run/netns
prefix=bftf
mode=stale
only=""
case "${1:---stale}" in
  --stale) mode=stale ;;
  --all) mode=all ;;
  --list) mode=list ;;
  --run) mode=run; only="${2:?--run needs the fleet number N of bftfN}"; only="${only#"$prefix"}" ;;
  -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "cleanup.sh: unknown argument $1" >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || { echo "cleanup.sh: needs root" >&2; exit 3; }
mkdir -p "$state_dir"
exec 9>"$state_dir/cleanup.lock"
flock 9

say() { echo "testfleet cleanup: $*" >&2; }

# value KEY FILE: a key=value line's value, empty when absent.
value() { [ -r "$2" ] || return 0; sed -n "s/^$1=//p" "$2" | tail -n 1; }

# Whether the JVM that owns a fleet still runs: same PID and same start time (field 22 of its stat).
owner_alive() {
  local file="$1" pid start stat rest
  pid="$(value owner_pid "$file")"
  start="$(value owner_start "$file")"
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  rest="${stat##*) }"
  # shellcheck disable=SC2086
  set -- $rest
  [ "${20:-}" = "$start" ]
}

# Fleet numbers that exist in any form: state file, namespace or interface.
fleets() {
  {
    for f in "$state_dir/$prefix"*.state; do [ -e "$f" ] && basename "$f" .state; done
    [ -d "$netns_dir" ] && ls "$netns_dir"
    ls /sys/class/net
  } | sed -n "s/^$prefix\([0-9]\{1,3\}\)\([-_.].*\)\{0,1\}$/\1/p" | sort -un
}

namespaces_of() {
  local ns
  for ns in "$netns_dir/$prefix$1"-* "$netns_dir/$prefix$1"_*; do
    [ -e "$ns" ] && basename "$ns"
  done
  return 0
}

# The systemd-nspawn processes of fleet N: named in its state file (and still that program, for that
# fleet), or the parents of the processes inside its namespaces.
nspawn_pids_of() {
  local n="$1" file="$state_dir/$prefix$1.state" pid ns parent
  {
    for pid in $(value nspawn_pids "$file"); do echo "$pid"; done
    for ns in $(namespaces_of "$n"); do
      for pid in $(ip netns pids "$ns" 2>/dev/null); do
        parent="$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" || continue
        [ -n "$parent" ] && echo "$parent"
      done
    done
  } | sort -un | while read -r pid; do
    [ -r "/proc/$pid/cmdline" ] || continue
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "systemd-nspawn .*--machine=$prefix$n-"; then
      echo "$pid"
    fi
  done
}

remove_fleet() {
  local n="$1" name="$prefix$1" pids pid ns group waited=0
  pids="$(nspawn_pids_of "$n" | tr '\n' ' ')"
  if [ -n "${pids// /}" ]; then
    say "$name: stopping systemd-nspawn $pids"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    while [ $waited -lt 100 ]; do
      alive=""
      for pid in $pids; do [ -d "/proc/$pid" ] && alive="$alive $pid"; done
      [ -z "$alive" ] && break
      sleep 0.1
      waited=$((waited + 1))
    done
    for pid in $pids; do
      if [ -d "/proc/$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
  fi
  for ns in $(namespaces_of "$n"); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      say "$name: killing process $pid left in $ns"
      kill -KILL "$pid" 2>/dev/null || true
    done
  done
  # Each host's systemd-nspawn ran in a cgroup of its own (HostCgroups); remove those trees.
  for group in $(value cgroups "$state_dir/$name.state"); do
    case "$group" in
      /sys/fs/cgroup/*"/$name-"*)
        if [ -d "$group" ]; then find "$group" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi ;;
    esac
  done
  if [ -e "/sys/class/net/$name" ]; then ip link del "$name" 2>/dev/null || true; fi
  for ns in $(namespaces_of "$n"); do ip netns del "$ns" 2>/dev/null || true; done
  # The fleet's temporary directory (keys, known_hosts, console logs), if it is one of ours.
  run_dir="$(value run_dir "$state_dir/$name.state")"
  case "$run_dir" in
    */basilica-testfleet-*) [ -d "$run_dir" ] && rm -rf -- "$run_dir" ;;
  esac
  rm -f "$state_dir/$name.state"
  say "$name: removed"
}

for n in $(fleets); do
  file="$state_dir/$prefix$n.state"
  if [ -e "$file" ] && owner_alive "$file"; then status=live; else status=dead; fi
  keep="$(value keep "$file")"
  case "$mode" in
    list)
      echo "$prefix$n owner=$(value owner_pid "$file") ($status) keep=${keep:-?} created=$(value created "$file")" \
        "namespaces=$(namespaces_of "$n" | tr '\n' ' ')"
      ;;
    stale) [ "$status" = dead ] && [ "$keep" != true ] && remove_fleet "$n" ;;
    all) remove_fleet "$n" ;;
    run) [ "$n" = "$only" ] && remove_fleet "$n" ;;
  esac
done
exit 0
