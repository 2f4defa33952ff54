#!/usr/bin/env python3
"""Checks that a coapjws-scan --format junit report is well-formed JUnit XML.

Usage: check_junit.py REPORT.xml [--suites N] [--failure TYPE]... [--no-failures]
       [--error]
Exits 0 when the report is well-formed and the expectations hold, 1 otherwise
(printing why).
"""
import sys
import xml.etree.ElementTree as ET


def main(argv):
    path = argv[1]
    expect_suites = None
    expect_failures = []
    expect_none = False
    expect_error = False
    i = 2
    while i < len(argv):
        if argv[i] == "--suites":
            expect_suites = int(argv[i + 1]); i += 2
        elif argv[i] == "--failure":
            expect_failures.append(argv[i + 1]); i += 2
        elif argv[i] == "--no-failures":
            expect_none = True; i += 1
        elif argv[i] == "--error":
            expect_error = True; i += 1
        else:
            print("unknown argument", argv[i]); return 2

    problems = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print("not well-formed XML:", e)
        return 1
    if root.tag != "testsuites":
        problems.append("root element is %s, not testsuites" % root.tag)
    suites = root.findall("testsuite")
    if expect_suites is not None and len(suites) != expect_suites:
        problems.append("%d testsuite elements, expected %d" % (len(suites), expect_suites))
    failure_types = []
    errors = 0
    for s in suites:
        name = s.get("name")
        if not name:
            problems.append("testsuite without a name")
        cases = s.findall("testcase")
        try:
            tests, failures, errs = int(s.get("tests")), int(s.get("failures")), int(s.get("errors"))
        except (TypeError, ValueError):
            problems.append("testsuite %s: tests/failures/errors missing or not integers" % name)
            continue
        if tests != len(cases):
            problems.append("testsuite %s: tests=%d but %d testcase elements" % (name, tests, len(cases)))
        listed = [f for c in cases for f in c.findall("failure")]
        more = [f for f in listed if f.get("type") == "more"]
        real = [f for f in listed if f.get("type") != "more"]
        if not more and failures != len(real):
            problems.append("testsuite %s: failures=%d but %d failure elements" % (name, failures, len(real)))
        case_errors = sum(len(c.findall("error")) for c in cases)
        if errs != case_errors:
            problems.append("testsuite %s: errors=%d but %d error elements" % (name, errs, case_errors))
        errors += case_errors
        for c in cases:
            if not c.get("name") or not c.get("classname"):
                problems.append("testsuite %s: testcase without name or classname" % name)
        for f in real:
            if not f.get("type") or f.get("message") is None:
                problems.append("testsuite %s: failure without type or message" % name)
            failure_types.append(f.get("type"))
    for t in expect_failures:
        if t not in failure_types:
            problems.append("no failure of type %s (have %s)" % (t, sorted(set(failure_types))))
    if expect_none and failure_types:
        problems.append("failures present: %s" % sorted(set(failure_types)))
    if expect_error and errors == 0:
        problems.append("no <error> element")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
