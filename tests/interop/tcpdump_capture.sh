# Sourced by the interop scripts: tcpdump on loopback around a client run.
# Uses the caller's $tmp (a scratch folder) and appends the tcpdump pid to
# its `pids` array, so the caller's exit trap stops it.

start_capture() {  # start_capture NAME FILTER: writes $tmp/NAME.pcap
  tcpdump -i lo -U --immediate-mode -n -Z root -w "$tmp/$1.pcap" "$2" >"$tmp/tcpdump-$1.log" 2>&1 &
  tcpdump_pid=$!
  pids+=("$tcpdump_pid")
  for _ in $(seq 50); do
    grep -q "listening on" "$tmp/tcpdump-$1.log" && return 0
    sleep 0.1
  done
  cat "$tmp/tcpdump-$1.log" >&2
  exit 1
}

stop_capture() {
  sleep 0.5  # let the last packets reach the file (immediate mode: no block timeout)
  kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true
}
