#!/usr/bin/env bash
# Installs everything coapjws needs to build, test and benchmark on Debian 12.
# (libclang-rt-14-dev: clang's sanitizer and libFuzzer runtimes, only a
# "Recommends" of clang, for scripts/fuzz.sh; wireshark-common: editcap, for
# scripts/editcap-fuzz.sh; util-linux: setpriv, to run tshark as nobody;
# valgrind: scripts/instructions.sh; libxml2-utils, python3-junitparser,
# python3-jsonschema: the JUnit and SARIF report checks in tests/analyzer;
# wireshark-qt, xvfb, xauth: the GUI check tshark.gui; mmdebstrap: the
# chroots of scripts/wireshark-matrix.sh; libwiretap-dev, libwsutil-dev:
# coapjws-scan reads captures with Wireshark's reader; zlib1g-dev,
# libzstd-dev, liblz4-dev: the generator's compressed copies of captures.)
# Runs apt-get as root, or through sudo when started by another user.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang
  libclang-rt-14-dev valgrind
  libssl-dev rapidjson-dev libglib2.0-dev libpcap-dev
  libwireshark-dev libwiretap-dev libwsutil-dev tshark wireshark-common
  wireshark-qt xvfb xauth mmdebstrap
  zlib1g-dev libzstd-dev liblz4-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 libcoap3-bin tcpdump util-linux
  libxml2-utils python3-junitparser python3-jsonschema
)

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 2; }
  as_root=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" | "${as_root[@]}" debconf-set-selections
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
