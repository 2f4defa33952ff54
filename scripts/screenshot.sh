#!/usr/bin/env bash
# Takes the README's screenshot of Wireshark with the coapjws plugin:
# pcaps/replay.pcap opened in wireshark-qt on a virtual X server (Xvfb), the
# replayed request (frame 7) selected and its CoAP-JWS tree expanded.
#
#   scripts/screenshot.sh [--install-deps] [--plugin FILE] [--capture FILE]
#                         [--keys FILE] [--frame N] [--read-filter FILTER]
#                         [--down N] [--statistics] [--output FILE]
#
# Defaults: --plugin build/plugin/coapjws.so (build it first, see README),
# --capture pcaps/replay.pcap, --keys pcaps/keys.jwks, --frame 7,
# --output docs/images/wireshark-coapjws.png. --read-filter opens the
# capture with that read filter (wireshark -R), as File > Open's read filter.
# --down N moves the selection N rows down from the CoAP-JWS item once its
# tree is expanded (selecting a header member shows the Decoded JOSE header
# tab). --statistics opens Statistics > CoAP-JWS Streams (wireshark -z
# coapjws,streams) and grabs that window instead.
#
# The README's shots:
#   scripts/screenshot.sh
#   scripts/screenshot.sh --down 15 --output docs/images/wireshark-coapjws-header.png
#   scripts/screenshot.sh --statistics --output docs/images/wireshark-coapjws-streams.png
#
# Needs these Debian 12 packages (not installed by scripts/install-deps.sh:
# the screenshot is not part of CI):
#   wireshark-qt  the GUI, the same major.minor the plugin was built for
#   xvfb          the virtual X server
#   xdotool       to find the window and expand the tree (keyboard, mouse)
#   imagemagick   import (grab), compare (wait for a still screen), convert
#   util-linux    setpriv, to drop root privileges
# The script installs nothing unless started with --install-deps (then it
# runs apt-get as root, or through sudo).
#
# How it works, and why:
# - Wireshark ignores personal plugins when it runs as root, so as root the
#   whole X session (Xvfb, wireshark, xdotool, import) runs as nobody
#   (uid/gid 65534) through setpriv; otherwise as the current user.
# - It never touches the real HOME: a temporary HOME holds the plugin in
#   ~/.local/lib/wireshark/plugins/<major.minor>/epan/ and a Wireshark profile
#   (preferences, recent, recent_common, colorfilters) that fixes the window
#   geometry, the pane layout and sizes, the columns (with a TID column), the
#   keys file, and the colouring rules of plugin/coapjws.colorfilters (as a
#   user who imported them) above Wireshark's own.
# - Xvfb picks a free display itself (-displayfd).
# - Wireshark opens the capture with -g <frame>; the script waits until the
#   screen stops changing, clicks into the packet details, moves to the last
#   top-level item (CoAP-JWS, a post-dissector, comes last) and expands all
#   its subtrees (Shift+Right), waits again and grabs the window.
# - The PNG is quantised to 256 colours and stripped of metadata, so that
#   the same inputs give the same file.
# - Xvfb, wireshark and the temporary folder are removed on every exit.
set -euo pipefail

width=1400
height=880

die() {
  echo "screenshot: $*" >&2
  exit 2
}

# ---------------------------------------------------------------------------
# The X session, run as the unprivileged user: screenshot.sh --session DIR.
# DIR holds home/, capture/ and receives shot.png.
# ---------------------------------------------------------------------------
run_session() {
  local dir=$1 capture_name=$2 frame=$3 down=$4 statistics=$5 read_filter=${6:-}
  export HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config"
  export XDG_RUNTIME_DIR="$dir/runtime" TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8
  export WIRESHARK_EXTCAP_DIR="$dir/extcap" QT_QPA_PLATFORM=xcb
  unset DBUS_SESSION_BUS_ADDRESS SESSION_MANAGER WAYLAND_DISPLAY
  mkdir -p "$XDG_RUNTIME_DIR" "$WIRESHARK_EXTCAP_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"

  trap stop_session EXIT
  trap 'exit 130' INT TERM

  Xvfb -displayfd 3 -screen 0 "${width}x${height}x24" -dpi 96 -nolisten tcp \
    3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
  xvfb_pid=$!
  local tries=0
  until [ -s "$dir/display" ]; do
    kill -0 "$xvfb_pid" 2>/dev/null || { cat "$dir/xvfb.log" >&2; die "Xvfb did not start"; }
    tries=$((tries + 1))
    [ $tries -lt 100 ] || die "Xvfb did not report a display"
    sleep 0.1
  done
  DISPLAY=":$(tr -d '[:space:]' <"$dir/display")"
  export DISPLAY

  local filter_args=()
  [ -z "$read_filter" ] || filter_args=(-R "$read_filter")
  [ "$statistics" = 0 ] || filter_args+=(-z coapjws,streams)
  (cd "$dir/capture" && exec wireshark -r "$capture_name" -g "$frame" "${filter_args[@]}") \
    >"$dir/wireshark.log" 2>&1 &
  ws_pid=$!

  # The main window is titled with the capture's file name once it is open.
  local title_re="^${capture_name//./\\.}\$" window=""
  tries=0
  until window=$(xdotool search --onlyvisible --name "$title_re" 2>/dev/null | head -n 1) &&
    [ -n "$window" ]; do
    kill -0 "$ws_pid" 2>/dev/null || { cat "$dir/wireshark.log" >&2; die "wireshark exited"; }
    tries=$((tries + 1))
    [ $tries -lt 120 ] || { cat "$dir/wireshark.log" >&2; die "no Wireshark window after 60 s"; }
    sleep 0.5
  done

  wait_until_still "$dir"
  # Dismiss the dialogs the plugin opens for key warnings (pcaps/keys.jwks
  # holds keys that warn, such as a 1024-bit RSA key): each is a window of
  # its own with the focus on OK.
  local other
  for other in $(xdotool search --onlyvisible --class wireshark 2>/dev/null); do
    [ "$other" != "$window" ] || continue
    case $(xdotool getwindowname "$other" 2>/dev/null) in *"CoAP-JWS Streams"*) continue ;; esac
    xdotool windowfocus --sync "$other" key --window "$other" Return 2>/dev/null || true
  done
  wait_until_still "$dir"
  if [ "$statistics" != 0 ]; then
    # The statistics dialog is titled "Wireshark · CoAP-JWS Streams · ...";
    # made wide enough for every column, with nothing selected.
    tries=0
    until window=$(xdotool search --onlyvisible --name "CoAP-JWS Streams" 2>/dev/null |
      head -n 1) && [ -n "$window" ]; do
      tries=$((tries + 1))
      [ $tries -lt 60 ] || { cat "$dir/wireshark.log" >&2; die "no statistics window"; }
      sleep 0.5
    done
    xdotool windowsize --sync "$window" 820 260 || true
    xdotool mousemove $((width - 1)) $((height - 1))
  else
    xdotool windowfocus --sync "$window"
    # Click into the empty lower part of the packet details pane (the layout
    # below puts it between about 25 % and 80 % of the height), then park the
    # pointer on the status bar so that nothing is hovered. With no current
    # item the first End selects the first row, the second the last one.
    xdotool mousemove $((width / 2)) $((height * 7 / 10)) click 1
    xdotool mousemove $((width - 1)) $((height - 1))
    xdotool key End End shift+Right
    local i
    for ((i = 0; i < down; i++)); do xdotool key Down; done
  fi
  wait_until_still "$dir"
  import -silent -window "$window" "png:$dir/shot.png"
}

# Global, not local: the EXIT trap runs after run_session has returned.
xvfb_pid=""
ws_pid=""
stop_session() {
  local pid
  for pid in "$ws_pid" "$xvfb_pid"; do
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# Waits until the screen has stayed still for two grabs in a row, half a
# second apart (at most 20 s). "Still" allows fewer changed pixels than a
# blinking text cursor makes.
wait_until_still() {
  local dir=$1 diff still=0
  import -silent -window root "png:$dir/still-a.png"
  for _ in $(seq 40); do
    sleep 0.5
    import -silent -window root "png:$dir/still-b.png"
    diff=$(compare -metric AE "$dir/still-a.png" "$dir/still-b.png" null: 2>&1 || true)
    diff=${diff%% *}
    if [[ $diff =~ ^[0-9]+$ ]] && [ "$diff" -lt 200 ]; then
      still=$((still + 1))
      [ $still -lt 2 ] || return 0
    else
      still=0
    fi
    mv "$dir/still-b.png" "$dir/still-a.png"
  done
  echo "screenshot: the screen kept changing; grabbing anyway" >&2
}

if [ "${1:-}" = "--session" ]; then
  [ $# -eq 6 ] || [ $# -eq 7 ] ||
    die "usage: --session DIR CAPTURE-NAME FRAME DOWN STATISTICS [READ-FILTER]"
  run_session "$2" "$3" "$4" "$5" "$6" "${7:-}"
  exit 0
fi

# ---------------------------------------------------------------------------
# The caller: options, dependencies, the temporary HOME and profile.
# ---------------------------------------------------------------------------
repo=$(cd "$(dirname "$0")/.." && pwd)
plugin="$repo/${COAPJWS_BUILD_DIR:-build}/plugin/coapjws.so"
capture="$repo/pcaps/replay.pcap"
keys="$repo/pcaps/keys.jwks"
frame=7
output="$repo/docs/images/wireshark-coapjws.png"
read_filter=""
down=0
statistics=0
install_deps=0

while [ $# -gt 0 ]; do
  case $1 in
    --install-deps) install_deps=1 ;;
    --statistics) statistics=1 ;;
    --plugin | --capture | --keys | --frame | --output | --read-filter | --down)
      [ $# -ge 2 ] || die "$1 needs a value"
      case $1 in
        --plugin) plugin=$2 ;;
        --capture) capture=$2 ;;
        --keys) keys=$2 ;;
        --frame) frame=$2 ;;
        --output) output=$2 ;;
        --read-filter) read_filter=$2 ;;
        --down) down=$2 ;;
      esac
      shift
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done
[[ $frame =~ ^[1-9][0-9]*$ ]] || die "--frame needs a frame number"
[[ $down =~ ^[0-9]+$ ]] || die "--down needs a number of rows"

# command -> Debian package
declare -A package_of=(
  [wireshark]=wireshark-qt [Xvfb]=xvfb [xdotool]=xdotool
  [import]=imagemagick [compare]=imagemagick [convert]=imagemagick
)
[ "$(id -u)" -eq 0 ] && package_of[setpriv]=util-linux
missing=()
for cmd in "${!package_of[@]}"; do
  command -v "$cmd" >/dev/null || missing+=("${package_of[$cmd]}")
done
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sed '/^$/d' | sort -u)
if [ ${#missing[@]} -gt 0 ]; then
  if [ $install_deps -eq 0 ]; then
    die "missing packages: ${missing[*]} (install them, or run with --install-deps)"
  fi
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "--install-deps: run as root or install sudo"
    as_root=(sudo)
  fi
  echo "screenshot: installing ${missing[*]}"
  # wireshark-common asks whether non-root users may capture; answer for it.
  echo "wireshark-common wireshark-common/install-setuid boolean false" |
    "${as_root[@]}" debconf-set-selections
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
fi

[ -r "$plugin" ] || die "cannot read the plugin $plugin (build it: cmake --build build --target coapjws_plugin)"
[ -r "$capture" ] || die "cannot read the capture $capture"
[ -r "$keys" ] || die "cannot read the keys file $keys"

# "Wireshark 4.0.17 (...)" -> 4.0, the folder personal plugins load from
major_minor=$(wireshark --version 2>/dev/null |
  sed -n '1s/^[^0-9]*\([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
[ -n "$major_minor" ] || die "cannot read Wireshark's version from wireshark --version"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/coapjws-screenshot.XXXXXX")
session_pid=""
cleanup() {
  if [ -n "$session_pid" ]; then
    kill "$session_pid" 2>/dev/null || true
    wait "$session_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

profile="$tmp/home/.config/wireshark"
mkdir -p "$tmp/home/.local/lib/wireshark/plugins/$major_minor/epan" "$profile" "$tmp/capture"
cp "$plugin" "$tmp/home/.local/lib/wireshark/plugins/$major_minor/epan/coapjws.so"
capture_name=$(basename "$capture")
cp "$capture" "$tmp/capture/$capture_name"
cp "$keys" "$tmp/capture/keys.jwks"
# Private keys that others may read get a warning (a dialog in the shot).
chmod 600 "$tmp/capture/keys.jwks"
cp "$0" "$tmp/screenshot.sh"

# Only what differs from Wireshark's defaults. Layout 1 (gui.layout_type: 1)
# stacks packet list, details and bytes; the TID column replaces Length.
cat >"$profile/preferences" <<EOF
coapjws.keys_file: $tmp/capture/keys.jwks
gui.update.enabled: FALSE
gui.layout_type: 1
gui.layout_content_1: PLIST
gui.layout_content_2: PDETAILS
gui.layout_content_3: PBYTES
gui.column.format:
	"No.", "%m",
	"Time", "%t",
	"Source", "%s",
	"Destination", "%d",
	"Protocol", "%p",
	"TID", "%Cus:coapjws.tid:0:R",
	"Info", "%i"
EOF
# Window geometry and no start-up warnings (recent_common), pane sizes and
# column widths (recent); both are Wireshark's own "recent" files.
cat >"$profile/recent_common" <<EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $width
gui.geometry_main_height: $height
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
sys.warn_if_no_capture: FALSE
EOF
cat >"$profile/recent" <<EOF
gui.geometry_main_upper_pane: 185
gui.geometry_main_lower_pane: 440
column.width:
	%m, 48,
	%t, 80,
	%s, 100,
	%d, 105,
	%p, 65,
	"%Cus:coapjws.tid", 130,
	%i, 800
EOF
# A profile's colorfilters replaces the global one: the rules users import
# (plugin/coapjws.colorfilters) first, then Wireshark's defaults.
global_colorfilters=/usr/share/wireshark/colorfilters
{
  grep -v '^#' "$repo/plugin/coapjws.colorfilters"
  if [ -r "$global_colorfilters" ]; then
    grep -v '^#' "$global_colorfilters" || true
  fi
} >"$profile/colorfilters"

session=("$tmp/screenshot.sh" --session "$tmp" "$capture_name" "$frame" "$down" "$statistics"
  "$read_filter")
if [ "$(id -u)" -eq 0 ]; then
  chown -R 65534:65534 "$tmp"
  setpriv --reuid=65534 --regid=65534 --clear-groups "${session[@]}" &
else
  "${session[@]}" &
fi
session_pid=$!
status=0
wait "$session_pid" || status=$?
session_pid=""
[ $status -eq 0 ] || die "the X session failed (exit $status)"

mkdir -p "$(dirname "$output")"
convert "$tmp/shot.png" -strip +dither -colors 256 \
  -define png:exclude-chunks=date,time "PNG8:$tmp/out.png"
cp "$tmp/out.png" "$output"
echo "screenshot: wrote $output ($(wc -c <"$output") bytes)"
