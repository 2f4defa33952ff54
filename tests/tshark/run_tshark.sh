#!/usr/bin/env bash
# Runs tshark with a freshly built coapjws.so loaded as a personal plugin,
# without touching the real HOME or any system folder.
#
#   COAPJWS_PLUGIN=build/plugin/coapjws.so tests/tshark/run_tshark.sh -r x.pcap ...
#
# - The plugin goes into a temporary HOME, under
#   .local/lib/wireshark/plugins/<major.minor>/epan/, readable by everyone.
#   That HOME has no Wireshark profile, so the user's own preferences do not
#   leak into tests.
# - Wireshark ignores personal plugins when run as root (and CI runs as root),
#   so as root tshark runs as nobody (uid/gid 65534) through setpriv.
# - No extcap programs: tshark -G would start every one of them (slow, and
#   they hang when sanitizer runtimes are preloaded).
# - The file after -r is copied into the temporary folder so that nobody can
#   read it. Other files named in the arguments (keys) must be readable by
#   nobody already: tests put them in a world-readable temporary folder.
#
# - COAPJWS_TSHARK_PRELOAD (a sanitizer build of the plugin): the sanitizer
#   runtimes, colon-separated, preloaded into tshark alone, with leak checks
#   off (tshark does not free everything at exit; the ctest suite checks our
#   own leaks). cmake/CoapjwsTsharkPreload.cmake finds them.
#
# - COAPJWS_TSHARK_COLORFILTERS: a colouring rules file, installed as the
#   temporary HOME's profile colorfilters (what View > Coloring Rules saves),
#   for tshark --color.
#
# Environment: COAPJWS_PLUGIN (required), TSHARK (default: tshark),
# COAPJWS_TSHARK_MAJOR_MINOR (default: asked from tshark --version),
# COAPJWS_TSHARK_PRELOAD (default: none), COAPJWS_TSHARK_COLORFILTERS
# (default: none: Wireshark's global rules).
set -euo pipefail

plugin=${COAPJWS_PLUGIN:?set COAPJWS_PLUGIN to the built coapjws.so}
tshark=${TSHARK:-tshark}
[ -r "$plugin" ] || { echo "run_tshark: cannot read plugin $plugin" >&2; exit 2; }
tshark_path=$(command -v "$tshark") || { echo "run_tshark: $tshark not found" >&2; exit 2; }

# "TShark (Wireshark) 4.0.17 (...)" -> 4.0 (ctest passes it in, saving a run)
major_minor=${COAPJWS_TSHARK_MAJOR_MINOR:-$("$tshark_path" --version 2>/dev/null |
  sed -n '1s/^[^0-9]*\([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')}
[ -n "$major_minor" ] || { echo "run_tshark: cannot read the tshark version" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/coapjws-tshark.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
home="$tmp/home"
plugin_dir="$home/.local/lib/wireshark/plugins/$major_minor/epan"
mkdir -p "$plugin_dir" "$tmp/input" "$tmp/extcap"
cp "$plugin" "$plugin_dir/coapjws.so"
if [ -n "${COAPJWS_TSHARK_COLORFILTERS:-}" ]; then
  mkdir -p "$home/.config/wireshark"
  cp "$COAPJWS_TSHARK_COLORFILTERS" "$home/.config/wireshark/colorfilters"
fi

args=()
input_count=0
while [ $# -gt 0 ]; do
  if [ "$1" = "-r" ] && [ $# -ge 2 ]; then
    input_count=$((input_count + 1))
    copy="$tmp/input/$input_count-$(basename "$2")"
    cp "$2" "$copy"
    args+=(-r "$copy")
    shift 2
  else
    args+=("$1")
    shift
  fi
done
chmod -R a+rX "$tmp"

preload=()
if [ -n "${COAPJWS_TSHARK_PRELOAD:-}" ]; then
  preload=(LD_PRELOAD="$COAPJWS_TSHARK_PRELOAD" ASAN_OPTIONS=detect_leaks=0
           UBSAN_OPTIONS=print_stacktrace=1)
fi

cd "$tmp"
if [ "$(id -u)" -eq 0 ]; then
  setpriv --reuid=65534 --regid=65534 --clear-groups \
    env HOME="$home" XDG_CONFIG_HOME="$home/.config" WIRESHARK_EXTCAP_DIR="$tmp/extcap" \
    "${preload[@]}" "$tshark_path" "${args[@]}"
else
  env HOME="$home" XDG_CONFIG_HOME="$home/.config" WIRESHARK_EXTCAP_DIR="$tmp/extcap" \
    "${preload[@]}" "$tshark_path" "${args[@]}"
fi
