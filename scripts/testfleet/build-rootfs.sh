#!/usr/bin/env bash
# Builds, once and cached, what the test fleet boots and installs from:
#   CACHE/KEY/rootfs  a Debian minbase root filesystem with systemd and sshd, prepared for
#                     `systemd-nspawn --boot --volatile=overlay` (the hosts never write to it)
#   CACHE/KEY/repo    a flat apt repository (Packages, Packages.gz, Release) holding the packages of
#                     packages.sh with every dependency the root filesystem lacks, because the test
#                     hosts have no route to Debian's archive
# KEY hashes this script, packages.sh, the architecture and the archive sources, so any change rebuilds.
# Both come from the archive this machine's apt already uses (its sources.list / sources.list.d).
#
# Usage: build-rootfs.sh [--check] [--rebuild] [--prune]
#   --check    build nothing; exit 0 and print the paths if the current key is built, 1 if not
#   --rebuild  throw the current key's build away and build it again
#   --prune    afterwards, delete every other key's build from the cache (except those a running
#              systemd-nspawn boots)
# Environment:
#   BASILICA_TESTFLEET_CACHE   cache directory (default: ${XDG_CACHE_HOME:-$HOME/.cache}/basilica-testfleet)
#   BASILICA_TESTFLEET_MIRROR  Debian mirror URL to use instead of the one apt is configured with
# On success the last lines on stdout are KEY=..., ROOTFS=..., REPO=...; progress goes to stderr.
# Exit status: 0 built (or already built); 1 failure; 2 usage; 3 this machine cannot build it
# (not root, a tool missing); 4 no Debian archive configured or reachable.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=packages.sh
source "$here/packages.sh"

check=false rebuild=false prune=false
for arg in "$@"; do
  case "$arg" in
    --check) check=true ;;
    --rebuild) rebuild=true ;;
    --prune) prune=true ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-rootfs.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

log() { echo "testfleet: [$SECONDS s] $*" >&2; }
die() { local code="$1"; shift; echo "testfleet: $*" >&2; exit "$code"; }

cache="${BASILICA_TESTFLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/basilica-testfleet}"
suite="$TESTFLEET_SUITE"
arch="$(dpkg --print-architecture 2>/dev/null || true)"
[ -n "$arch" ] || die 3 "dpkg is missing: this only builds on Debian-like machines"

# --- The archive: every enabled 'deb' source of this machine's apt for $suite, $suite-updates and
# $suite-security with the main component, as "URI SUITE SIGNED-BY" lines (SIGNED-BY is - when unset).
host_sources() {
  local list parts
  eval "$(apt-config shell list Dir::Etc::sourcelist/f parts Dir::Etc::sourceparts/d)"
  {
    for f in "$list" "$parts"/*.list; do
      [ -f "$f" ] || continue
      awk '
        /^[[:space:]]*(#|$)/ { next }
        $1 == "deb" {
          i = 2; opts = ""
          if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) { opts = opts " " $i; i++ }; opts = opts " " $i; i++ }
          comps = ""; for (j = i + 2; j <= NF; j++) comps = comps " " $j
          sb = "-"; if (match(opts, /signed-by=[^] ]+/)) sb = substr(opts, RSTART + 10, RLENGTH - 10)
          print $i, $(i + 1), sb, comps
        }' "$f"
    done
    for f in "$parts"/*.sources; do
      [ -f "$f" ] || continue
      awk '
        function flush(   n, m, a, b, U, S) {
          if (types ~ /(^| )deb( |$)/ && enabled != "no") {
            n = split(uris, U, " "); m = split(suites, S, " ")
            for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) print U[a], S[b], (sb ~ /^\// ? sb : "-"), comps
          }
          types = uris = suites = comps = sb = enabled = field = ""
        }
        /^[[:space:]]*#/ { next }
        /^[[:space:]]*$/ { flush(); next }
        /^[^ \t][^:]*:/ {
          field = tolower(substr($0, 1, index($0, ":") - 1)); val = substr($0, index($0, ":") + 1)
          gsub(/^[ \t]+|[ \t]+$/, "", val)
          if (field == "types") types = val; else if (field == "uris") uris = val
          else if (field == "suites") suites = val; else if (field == "components") comps = val
          else if (field == "signed-by") sb = val; else if (field == "enabled") enabled = tolower(val)
          next
        }
        /^[ \t]/ { v = $0; gsub(/^[ \t]+|[ \t]+$/, "", v)
          if (field == "uris") uris = uris " " v; else if (field == "suites") suites = suites " " v
          else if (field == "components") comps = comps " " v }
        END { flush() }' "$f"
    done
  } | awk -v s="$suite" '($2 == s || $2 == s "-updates" || $2 == s "-security") && (" " $0 " ") ~ / main / { print $1, $2, $3 }' \
    | awk '!seen[$0]++'
}

if [ -n "${BASILICA_TESTFLEET_MIRROR:-}" ]; then
  sources="${BASILICA_TESTFLEET_MIRROR%/} $suite -"
else
  sources="$(host_sources)"
fi
mirror="$(awk -v s="$suite" '$2 == s { print $1; exit }' <<<"$sources")"
[ -n "$mirror" ] || die 4 "no apt source for Debian $suite main is configured on this machine (set BASILICA_TESTFLEET_MIRROR)"

key="$(
  {
    cat "${BASH_SOURCE[0]}" "$here/packages.sh"
    echo "$arch"
    echo "$sources"
  } | sha256sum | cut -c1-16
)"
dest="$cache/$suite-$arch-$key"

# Prints the paths (the caller reads the last three lines) after pruning other builds if asked to.
finish() {
  if $prune; then
    for old in "$cache"/*/; do
      old="${old%/}"
      [ "$old" = "$dest" ] && continue
      [ -f "$old/complete" ] || [ -f "$old/build-info" ] || continue
      # Another checkout's fleet may be booted from an older key right now.
      if grep -qsF -- "--directory=$old/rootfs" /proc/[0-9]*/cmdline; then
        log "keeping $old: a running systemd-nspawn boots it"
        continue
      fi
      log "pruning $old"
      rm -rf "$old"
    done
  fi
  echo "KEY=$key"
  echo "ROOTFS=$dest/rootfs"
  echo "REPO=$dest/repo"
  exit 0
}

if ! $rebuild && [ -f "$dest/complete" ]; then
  finish
fi
$check && exit 1

[ "$(id -u)" = 0 ] || die 3 "building the test fleet's root filesystem needs root"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9   # one build at a time; a second caller waits and then finds it built
if ! $rebuild && [ -f "$dest/complete" ]; then
  finish
fi
rm -rf "$cache"/.build-*   # left by a build that was killed; none can be running while we hold the lock

missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v apt-ftparchive >/dev/null || missing+=(apt-utils)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} with apt-get"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 \
    || die 3 "cannot install ${missing[*]}"
fi

log "checking that $mirror serves $suite"
curl -fsS --max-time 30 -o /dev/null "${mirror%/}/dists/$suite/Release" \
  || die 4 "the Debian archive $mirror is not reachable from this machine"

work="$cache/.build-$key-$$"
# shellcheck disable=SC2317  # runs from the EXIT trap
cleanup_work() { rm -rf "$work"; }
trap cleanup_work EXIT
rm -rf "$work"
mkdir -p "$work"
started=$SECONDS

# --- 1. The root filesystem.
include="$(IFS=,; echo "${TESTFLEET_ROOTFS_PACKAGES[*]}")"
log "debootstrap $suite ($arch) from $mirror with $include (log: $work/debootstrap.log)"
mkdir -p "$cache/debootstrap-debs"   # keeps the downloaded .debs, so a rebuild after a change is quicker
if ! debootstrap --variant=minbase --components=main --include="$include" \
      --cache-dir="$cache/debootstrap-debs" "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -n 30 "$work/debootstrap.log" >&2
  die 1 "debootstrap failed"
fi
rootfs="$work/rootfs"
log "preparing the root filesystem for systemd-nspawn"

# Every host boots this same directory under a throw-away overlay; what differs per host (hostname,
# machine id, host key, authorized keys, apt source) is given to each at boot, so none of it is baked in.
rm -f "$rootfs/etc/hostname"                                # systemd-nspawn --hostname names each host
: >"$rootfs/etc/machine-id"                                  # empty: each boot gets its own machine id
ln -sf /etc/machine-id "$rootfs/var/lib/dbus/machine-id"    # else systemd copies D-Bus's id into every host
rm -f "$rootfs"/etc/ssh/ssh_host_*                           # each host gets its own key, bound in at boot
printf '# The test hosts have no name server.\n' >"$rootfs/etc/resolv.conf"
rm -f "$rootfs/usr/sbin/policy-rc.d"                         # services installed on a test host must start
install -d -m 0700 "$rootfs/root/.ssh"                       # mount point for the per-host authorized keys
printf '# Test hosts install only from the local repository (sources.list.d/basilica-testfleet.list).\n' \
  >"$rootfs/etc/apt/sources.list"
: >"$rootfs/etc/apt/sources.list.d/basilica-testfleet.list"  # mount point for the per-host apt source
cat >"$rootfs/etc/ssh/sshd_config.d/basilica-testfleet.conf" <<'CONF'
# Test fleet: only the per-host ed25519 key bound in at boot exists; key logins only.
HostKey /etc/ssh/ssh_host_ed25519_key
PasswordAuthentication no
KbdInteractiveAuthentication no
CONF
# Daily apt runs would take the dpkg lock in the middle of a test's convergence.
ln -sf /dev/null "$rootfs/etc/systemd/system/apt-daily.timer"
ln -sf /dev/null "$rootfs/etc/systemd/system/apt-daily-upgrade.timer"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/apt/*
mkdir -p "$rootfs/var/lib/apt/lists/partial"

# --- 2. The local apt repository: resolved by this machine's apt against the root filesystem's
# dpkg status, so it holds exactly what a host lacks. Each package is also resolved on its own,
# because installing one alone can pick other alternatives than installing all of them together.
apt_dir="$work/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts" "$apt_dir/prefs"
while read -r uri s sb; do
  if [ "$sb" = - ]; then echo "deb $uri $s main"; else echo "deb [signed-by=$sb] $uri $s main"; fi
done <<<"$sources" >"$apt_dir/sources.list"
apt_opts=(
  -q -y
  -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts="$apt_dir/parts"
  -o Dir::Etc::Preferences="$apt_dir/prefs/none" -o Dir::Etc::PreferencesParts="$apt_dir/prefs"
  -o Dir::State::Lists="$apt_dir/lists" -o Dir::State::extended_states="$apt_dir/extended_states"
  -o Dir::State::status="$rootfs/var/lib/dpkg/status"
  -o Dir::Cache::archives="$apt_dir/archives" -o Dir::Cache::pkgcache="$apt_dir/pkgcache.bin"
  -o Dir::Cache::srcpkgcache="$apt_dir/srcpkgcache.bin"
  -o Debug::NoLocking=true -o APT::Architecture="$arch" -o APT::Architectures::="$arch"
  -o APT::Install-Recommends="$TESTFLEET_REPO_RECOMMENDS"
)
log "downloading ${TESTFLEET_REPO_PACKAGES[*]} and their dependencies (log: $work/apt.log)"
{
  apt-get "${apt_opts[@]}" update
  apt-get "${apt_opts[@]}" install --download-only "${TESTFLEET_REPO_PACKAGES[@]}"
  for p in "${TESTFLEET_REPO_PACKAGES[@]}"; do
    apt-get "${apt_opts[@]}" install --download-only "$p"
  done
} >"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; die 1 "downloading the repository's packages failed"; }

log "indexing the repository"
repo="$work/repo"
mkdir -p "$repo"
mv "$apt_dir"/archives/*.deb "$repo/"
(
  cd "$repo"
  apt-ftparchive packages . >Packages 2>"$work/ftparchive.log"
  gzip -9 -n -k Packages
  apt-ftparchive \
    -o APT::FTPArchive::Release::Origin=basilica-testfleet \
    -o APT::FTPArchive::Release::Label=basilica-testfleet \
    -o APT::FTPArchive::Release::Architectures="$arch" \
    release . >Release
)

log "checking that the repository satisfies its package list on its own"
# Prove the repository is enough on its own: resolve every package against the root filesystem with
# the repository as the only source (what a test host's apt will see).
check_dir="$work/apt-check"
mkdir -p "$check_dir/lists/partial" "$check_dir/parts" "$check_dir/prefs"
echo "deb [trusted=yes] file:$repo ./" >"$check_dir/sources.list"
check_opts=(
  -q -y
  -o Dir::Etc::SourceList="$check_dir/sources.list" -o Dir::Etc::SourceParts="$check_dir/parts"
  -o Dir::Etc::Preferences="$check_dir/prefs/none" -o Dir::Etc::PreferencesParts="$check_dir/prefs"
  -o Dir::State::Lists="$check_dir/lists" -o Dir::State::extended_states="$check_dir/extended_states"
  -o Dir::State::status="$rootfs/var/lib/dpkg/status"
  -o Dir::Cache::archives="$check_dir/archives" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
  -o Debug::NoLocking=true -o APT::Architecture="$arch" -o APT::Architectures::="$arch"
)
{
  apt-get "${check_opts[@]}" update
  apt-get "${check_opts[@]}" install --simulate "${TESTFLEET_REPO_PACKAGES[@]}"
  for p in "${TESTFLEET_REPO_PACKAGES[@]}"; do
    apt-get "${check_opts[@]}" install --simulate "$p"
  done
} >"$work/apt-check.log" 2>&1 || { tail -n 30 "$work/apt-check.log" >&2; die 1 "the local repository cannot satisfy its own package list"; }

debs=$(find "$repo" -name '*.deb' | wc -l)
{
  echo "suite=$suite"
  echo "arch=$arch"
  echo "mirror=$mirror"
  echo "sources=$(tr '\n' ';' <<<"$sources")"
  echo "rootfs_packages=${TESTFLEET_ROOTFS_PACKAGES[*]}"
  echo "repo_packages=${TESTFLEET_REPO_PACKAGES[*]}"
  echo "repo_debs=$debs"
  echo "rootfs_mb=$(du -sm "$rootfs" | cut -f1)"
  echo "repo_mb=$(du -sm "$repo" | cut -f1)"
  echo "build_seconds=$((SECONDS - started))"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$work/build-info"
rm -rf "$apt_dir" "$check_dir"

rm -rf "$dest"
mv "$work" "$dest"
trap - EXIT
touch "$dest/complete"
log "built $dest in $((SECONDS - started)) s: $(grep -E '^(rootfs_mb|repo_mb|repo_debs)=' "$dest/build-info" | tr '\n' ' ')"

finish
