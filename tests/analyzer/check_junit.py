#!/usr/bin/env python3
"""Checks a coapjws-scan --format junit report the way CI servers read it.

Usage: check_junit.py REPORT.xml [--suites N] [--failure ID]... [--no-failures]
       [--error] [--skipped] [--ports P[,P...]]

1. xmllint (libxml2-utils) validates it against Jenkins' junit-10.xsd
   (tests/schemas/junit-10.xsd).
2. junitparser (python3-junitparser), a JUnit report reader CI tools use,
   reads it; every test suite's tests/failures/errors/skipped must be the
   number of test cases with that result (failures count failed test cases,
   not findings), and time/timestamp must be there.
3. The expectations given: --failure ID (a failure lists finding ID),
   --no-failures, --error (some <error>), --skipped (some <skipped>),
   --ports (test case names carry no port outside these: ephemeral client
   ports would change from run to run).
Exits 0 when all holds, 1 otherwise (printing why), 2 on bad usage.
"""
import os
import re
import subprocess
import sys

import junitparser

HERE = os.path.dirname(os.path.abspath(__file__))
XSD = os.path.join(HERE, "..", "schemas", "junit-10.xsd")


def main(argv):
    path = argv[1]
    expect_suites, expect_failures = None, []
    expect_none = expect_error = expect_skipped = False
    ports = None
    i = 2
    while i < len(argv):
        a = argv[i]
        if a == "--suites":
            expect_suites = int(argv[i + 1]); i += 2
        elif a == "--failure":
            expect_failures.append(argv[i + 1]); i += 2
        elif a == "--ports":
            ports = set(argv[i + 1].split(",")); i += 2
        elif a == "--no-failures":
            expect_none = True; i += 1
        elif a == "--error":
            expect_error = True; i += 1
        elif a == "--skipped":
            expect_skipped = True; i += 1
        else:
            print("unknown argument", a)
            return 2

    lint = subprocess.run(["xmllint", "--noout", "--schema", XSD, path],
                          capture_output=True, text=True)
    if lint.returncode != 0:
        print("not valid against junit-10.xsd:", lint.stderr.strip()[:2000])
        return 1

    problems = []
    try:
        xml = junitparser.JUnitXml.fromfile(path)
    except Exception as e:  # the parser's own complaint is the finding
        print("junitparser cannot read it:", e)
        return 1
    suites = list(xml) if isinstance(xml, junitparser.JUnitXml) else [xml]
    if expect_suites is not None and len(suites) != expect_suites:
        problems.append("%d test suites, expected %d" % (len(suites), expect_suites))
    listed_ids, errors, skipped = set(), 0, 0
    for suite in suites:
        cases = list(suite)
        kinds = {"failure": 0, "error": 0, "skipped": 0}
        for case in cases:
            results = case.result
            if any(isinstance(r, junitparser.Failure) for r in results):
                kinds["failure"] += 1
            if any(isinstance(r, junitparser.Error) for r in results):
                kinds["error"] += 1
            if any(isinstance(r, junitparser.Skipped) for r in results):
                kinds["skipped"] += 1
            for r in results:
                if isinstance(r, junitparser.Failure):
                    if not r.type or r.message is None:
                        problems.append("%s: failure without type or message" % suite.name)
                    listed_ids.add(r.type)
                    # "3 findings at or above error: replay 2, bad-signature 1"
                    tail = (r.message or "").split(": ", 1)[-1]
                    listed_ids.update(re.findall(r"([a-z][a-z-]*) \d+", tail))
            if not case.name or not case.classname:
                problems.append("%s: test case without name or classname" % suite.name)
            if ports is not None:
                for port in re.findall(r":(\d+|\*)(?:\s|$)", case.name):
                    if port != "*" and port not in ports:
                        problems.append("%s: test case %r names port %s, not a CoAP port"
                                        % (suite.name, case.name, port))
        counted = {"tests": len(cases), "failures": kinds["failure"], "errors": kinds["error"],
                   "skipped": kinds["skipped"]}
        for attr, want in counted.items():
            got = suite._elem.get(attr)
            if got is None or int(got) != want:
                problems.append("%s: %s=%s but %d test cases" % (suite.name, attr, got, want))
        if suite.time is None or suite._elem.get("time") is None:
            problems.append("%s: no time" % suite.name)
        if not suite.timestamp:
            problems.append("%s: no timestamp" % suite.name)
        errors += kinds["error"]
        skipped += kinds["skipped"]
    for t in expect_failures:
        if t not in listed_ids:
            problems.append("no failure lists %s (have %s)" % (t, sorted(listed_ids)))
    if expect_none and listed_ids:
        problems.append("failures present: %s" % sorted(listed_ids))
    if expect_error and errors == 0:
        problems.append("no <error> element")
    if expect_skipped and skipped == 0:
        problems.append("no <skipped> element")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
