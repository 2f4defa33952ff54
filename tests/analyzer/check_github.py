#!/usr/bin/env python3
"""Checks a coapjws-scan --format github log against the workflow command
syntax GitHub documents ("Workflow commands for GitHub Actions"):

  ::error file={name},line={line},endLine={el},title={title}::{message}

(also ::warning and ::notice; properties col, endColumn; in values '%', CR
and LF are escaped as %25 %0D %0A, in properties also ':' and ',' as %3A
%2C). Every line that starts with "::" must be such a command; other lines
are plain log text.

Usage: check_github.py LOG [--expect COMMAND:FILE:LINE:TITLE]... [--count N]
  --expect: some annotation has this command, file, line ("-" for none) and a
            title containing TITLE.
Exits 0 when all holds, 1 otherwise (printing why), 2 on bad usage.
"""
import re
import sys

COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")
PROPERTY = re.compile(r"^(file|line|endLine|col|endColumn|title)=(.*)$")
ESCAPE = re.compile(r"%(?!25|0D|0A|3A|2C)")


def unescape(text):
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


def main(argv):
    path = argv[1]
    expects, count = [], None
    i = 2
    while i < len(argv):
        if argv[i] == "--expect":
            expects.append(argv[i + 1].split(":", 3)); i += 2
        elif argv[i] == "--count":
            count = int(argv[i + 1]); i += 2
        else:
            print("unknown argument", argv[i])
            return 2
    problems, annotations = [], []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for n, line in enumerate(text.split("\n"), 1):
        if not line.startswith("::"):
            continue
        m = COMMAND.match(line)
        if not m:
            problems.append("line %d is not a workflow command: %r" % (n, line[:200]))
            continue
        command, props, message = m.group(1), m.group(2) or "", m.group(3)
        if ESCAPE.search(message) or "\r" in message:
            problems.append("line %d: message not escaped: %r" % (n, message[:200]))
        values = {}
        for item in props.split(",") if props else []:
            p = PROPERTY.match(item)
            if not p:
                problems.append("line %d: bad property %r" % (n, item))
                continue
            if ESCAPE.search(p.group(2)):
                problems.append("line %d: property not escaped: %r" % (n, item))
            values[p.group(1)] = unescape(p.group(2))
        if "line" in values and not values["line"].isdigit():
            problems.append("line %d: line=%r is not a number" % (n, values["line"]))
        annotations.append((command, values.get("file"), values.get("line", "-"),
                            values.get("title", ""), unescape(message)))
    for command, file, line, title in expects:
        if not any(a[0] == command and a[1] == file and a[2] == line and title in a[3]
                   for a in annotations):
            problems.append("no ::%s for %s line %s titled %r" % (command, file, line, title))
    if count is not None and len(annotations) != count:
        problems.append("%d annotations, expected %d" % (len(annotations), count))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
