#!/usr/bin/env python3
"""UDP port helpers for run_interop.sh.

  udp_port.py any              print a free port (the kernel's choice)
  udp_port.py free PREFERRED   print PREFERRED if 127.0.0.1 can bind it, else a free port
  udp_port.py wait-bound PORT  wait (up to 5 s) until something has bound 127.0.0.1:PORT
"""
import errno
import socket
import sys
import time


def can_bind(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            return False
        raise
    finally:
        s.close()


def any_free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "any":
        print(any_free_port())
        return 0
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    command, port = sys.argv[1], int(sys.argv[2])
    if command == "free":
        if can_bind(port):
            print(port)
        else:
            print(any_free_port())
        return 0
    if command == "wait-bound":
        deadline = time.time() + 5
        while time.time() < deadline:
            if not can_bind(port):
                return 0
            time.sleep(0.05)
        print("nothing bound 127.0.0.1:%d within 5 s" % port, file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
