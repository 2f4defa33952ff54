#!/usr/bin/env bash
# Builds the plugin against other Wireshark releases and runs every tshark
# test there (ctest label `tshark`: the tests in tests/tshark, the GUI check
# and the per-capture check of pcaps/), each in a Debian chroot made with
# mmdebstrap from Debian's own packages:
#
#   trixie  Wireshark 4.4 (Debian 13)
#   forky   Wireshark 4.6 (Debian testing)
#
#   scripts/wireshark-matrix.sh [--prepare-only] [SUITE...]
#
# Default: both suites. --prepare-only makes (or checks) the chroots and
# stops; .ci/run starts it in the background early so that the downloads
# overlap the other stages.
#
# - The chroots live in $COAPJWS_MATRIX_DIR (default build-matrix/, not
#   committed) as SUITE/root, and are reused while SUITE/ready lists the same
#   packages; a chroot being made by another run is waited for (flock).
# - Inside, the source tree is mounted read-only at /coapjws-src, in a
#   private mount namespace with its own /proc (nothing stays mounted after
#   the run), and built in /coapjws-build/<hash of the source path> (kept in
#   the chroot, one folder per source tree, so later runs
#   build only what changed): the plugin, the engine and field_links (a
#   tshark test's helper) only, optimised as
#   in a RelWithDebInfo build but without debug information (faster), with
#   -DCOAPJWS_BUILD_UNIT_TESTS=OFF (no GoogleTest or Benchmark needed) and
#   -DCOAPJWS_WERROR=ON (a warning, such as a deprecated call, fails the build).
# - Needs root (mmdebstrap in root mode, chroot, unshare); installs
#   mmdebstrap with apt-get when it is missing. forky's Release file can be
#   stale on the mirror, so its Valid-Until is not checked.
#
# Exit status: 0 when every suite built and passed, 1 when one failed, 2 on
# a usage or setup error.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
matrix_dir=${COAPJWS_MATRIX_DIR:-$repo/build-matrix}
mirror=${COAPJWS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
prepare_only=0
suites=()

die() {
  echo "wireshark-matrix: $*" >&2
  exit 2
}

for arg in "$@"; do
  case $arg in
    --prepare-only) prepare_only=1 ;;
    trixie | forky) suites+=("$arg") ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument $arg (suites: trixie, forky; see --help)" ;;
  esac
done
[ ${#suites[@]} -gt 0 ] || suites=(trixie forky)
[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap, chroot, unshare)"
mkdir -p "$matrix_dir"
matrix_dir=$(cd "$matrix_dir" && pwd)

# What the tests need: the build tools and Wireshark's SDK, tshark, the GUI
# and a virtual X server (tshark.gui), python3, setpriv (util-linux).
packages=build-essential,cmake,ninja-build,pkg-config,libwireshark-dev,tshark,wireshark,xvfb,xauth,libssl-dev,rapidjson-dev,libglib2.0-dev,python3,util-linux

wireshark_of() {
  case $1 in
    trixie) echo 4.4 ;;
    forky) echo 4.6 ;;
  esac
}

if ! command -v mmdebstrap >/dev/null; then
  echo "wireshark-matrix: installing mmdebstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends mmdebstrap >/dev/null; } || die "cannot install mmdebstrap"
fi

# Runs a shell command in SUITE's chroot with the source mounted read-only.
in_chroot() {
  local root=$matrix_dir/$1/root command=$2
  mkdir -p "$root/coapjws-src"
  unshare --mount --propagation private -- /bin/sh -ec '
    root=$1 src=$2 command=$3
    mount -t proc proc "$root/proc"
    mount -t tmpfs tmpfs "$root/dev/shm"
    mount -t tmpfs tmpfs "$root/tmp"
    mount --bind "$src" "$root/coapjws-src"
    mount -o remount,bind,ro "$root/coapjws-src"
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
      LANG=C.UTF-8 /bin/sh -ec "$command"
  ' sh "$root" "$repo" "$command"
}

# Makes SUITE's chroot unless a complete one with these packages exists; a
# complete one made with other packages gets them installed in place.
prepare() {
  local suite=$1 dir=$matrix_dir/$1
  mkdir -p "$dir"
  exec 9>"$dir/lock"
  flock 9
  if [ -f "$dir/ready" ] && [ -d "$dir/root" ]; then
    if [ "$(cat "$dir/ready")" = "$packages" ]; then
      echo "wireshark-matrix: $suite: reusing the chroot in $dir/root"
      exec 9>&-
      return 0
    fi
    echo "wireshark-matrix: $suite: installing the packages the chroot lacks"
    # shellcheck disable=SC2016 # expanded in the chroot
    if in_chroot "$suite" 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends '"${packages//,/ }"' >/dev/null' \
      >"$dir/apt.log" 2>&1; then
      echo "$packages" >"$dir/ready"
      exec 9>&-
      return 0
    fi
    echo "wireshark-matrix: $suite: that failed (see $dir/apt.log); making the chroot anew"
  fi
  rm -rf "$dir/root" "$dir/root.new" "$dir/ready"
  echo "wireshark-matrix: $suite: making the chroot (mmdebstrap, log in $dir/mmdebstrap.log)"
  local started=$SECONDS options=()
  [ "$suite" = forky ] && options+=(--aptopt='Acquire::Check-Valid-Until "false"')
  if ! mmdebstrap --variant=apt --include="$packages" "${options[@]}" \
    "$suite" "$dir/root.new" "$mirror" >"$dir/mmdebstrap.log" 2>&1; then
    tail -n 20 "$dir/mmdebstrap.log" >&2
    rm -rf "$dir/root.new"
    exec 9>&-
    return 1
  fi
  mv "$dir/root.new" "$dir/root"
  echo "$packages" >"$dir/ready"
  echo "wireshark-matrix: $suite: chroot ready ($((SECONDS - started)) s)"
  exec 9>&-
}

build_and_test() {
  local suite=$1 build
  # One build folder per source tree: ninja goes by modification times, so
  # objects built from another tree (another worktree, an unpacked archive)
  # that are newer than this tree's sources would pass for up to date.
  build=/coapjws-build/$(printf '%s' "$repo" | sha256sum | cut -c1-16)
  in_chroot "$suite" "
    tshark --version | head -n 1
    cmake -S /coapjws-src -B $build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \\
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O2 -DNDEBUG' -DCOAPJWS_BUILD_UNIT_TESTS=OFF -DCOAPJWS_BUILD_TOOLS=OFF -DCOAPJWS_BUILD_ANALYZER=OFF \\
      -DCOAPJWS_BUILD_BENCH=OFF -DCOAPJWS_WERROR=ON >/dev/null
    cmake --build $build --target coapjws_plugin field_links -j \$(nproc)
    ctest --test-dir $build -L tshark -j \$(nproc) --output-on-failure
  "
}

# The chroots are made side by side: their time goes into downloads.
status=0
pids=()
for suite in "${suites[@]}"; do
  prepare "$suite" &
  pids+=($!)
done
for i in "${!suites[@]}"; do
  wait "${pids[$i]}" ||
    { echo "wireshark-matrix: ${suites[$i]}: FAILED to make the chroot" >&2; status=1; }
done
[ $prepare_only -eq 1 ] && exit $status

declare -A result
for suite in "${suites[@]}"; do
  [ -f "$matrix_dir/$suite/ready" ] || { result[$suite]="no chroot"; status=1; continue; }
  echo "=== wireshark-matrix: $suite (Wireshark $(wireshark_of "$suite")): build the plugin, run the tshark tests"
  started=$SECONDS
  if build_and_test "$suite" 2>&1 | tee "$matrix_dir/$suite/last-run.log"; then
    result[$suite]="passed ($((SECONDS - started)) s)"
  else
    result[$suite]="FAILED ($((SECONDS - started)) s, log in $matrix_dir/$suite/last-run.log)"
    status=1
  fi
done

echo "=== wireshark-matrix: summary"
for suite in "${suites[@]}"; do
  printf '  %-7s Wireshark %s: %s\n' "$suite" "$(wireshark_of "$suite")" "${result[$suite]}"
done
exit $status
