#!/usr/bin/env python3
"""The progress bar never lands inside a report line when standard output and
standard error are the same terminal.

  check_tty_progress.py COAPJWS_SCAN ARG...

Runs coapjws-scan on a pseudo-terminal (both streams), read slowly like a
busy terminal so that writes block, and checks the transcript: the bar is
drawn ("\\r[###...] ...\\033[K") at least once, and every drawing or erasing
of it starts where no report text stands on the line yet. Exit 0 when so,
1 otherwise.
"""
import os
import pty
import re
import select
import sys
import time

BAR = re.compile(rb"^\r(\[[#.]{30}\][^\r\n]*?)?\x1b\[K")


def main(argv):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(argv[1], argv[1:])
    data = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        time.sleep(0.001)
    os.waitpid(pid, 0)
    text = data.replace(b"\r\n", b"\n")  # the terminal's own line ends
    bars, problems = 0, []
    for number, line in enumerate(text.split(b"\n"), 1):
        while line.startswith(b"\r"):
            m = BAR.match(line)
            if not m:
                break
            bars += 1 if m.group(1) else 0
            line = line[m.end():]
        if b"\r" in line:
            problems.append("line %d: the bar lands inside report text: %r" % (number, line[:160]))
    if bars == 0:
        problems.append("the bar was never drawn (%d bytes read)" % len(data))
    for p in problems[:10]:
        print(p)
    print("%d bar drawings, %d lines, %d problems" % (bars, text.count(b"\n"), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
