#!/usr/bin/env python3
"""Checks a coapjws-scan --format sarif log.

Usage: check_sarif.py LOG.sarif [--rule ID]... [--level ID=LEVEL]... [--no-results]
       [--exit-code N] [--results N]

1. python3-jsonschema validates it against the OASIS SARIF 2.1.0 schema
   (tests/schemas/sarif-schema-2.1.0.json, draft 4).
2. What GitHub code scanning needs beyond the schema: one run; every result's
   ruleId among the driver's rules with a matching ruleIndex; an artifact
   location whose uri is a URI reference (RFC 3986 characters only).
3. The expectations: --rule ID (some result has this rule), --level ID=LEVEL
   (every result of the rule has this level), --no-results, --results N,
   --exit-code N (the invocation's).
Exits 0 when all holds, 1 otherwise (printing why), 2 on bad usage.
"""
import json
import os
import re
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "schemas", "sarif-schema-2.1.0.json")
URI_REFERENCE = re.compile(r"^([A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$")


def main(argv):
    path = argv[1]
    rules, levels, no_results, exit_code, count = [], {}, False, None, None
    i = 2
    while i < len(argv):
        a = argv[i]
        if a == "--rule":
            rules.append(argv[i + 1]); i += 2
        elif a == "--level":
            k, v = argv[i + 1].split("="); levels[k] = v; i += 2
        elif a == "--no-results":
            no_results = True; i += 1
        elif a == "--exit-code":
            exit_code = int(argv[i + 1]); i += 2
        elif a == "--results":
            count = int(argv[i + 1]); i += 2
        else:
            print("unknown argument", a)
            return 2
    try:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        print("not JSON:", e)
        return 1
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = ["schema: %s at %s" % (e.message[:300], "/".join(map(str, e.absolute_path)))
                for e in validator.iter_errors(log)][:20]
    if problems:
        for p in problems:
            print(p)
        return 1
    runs = log["runs"]
    if len(runs) != 1:
        problems.append("%d runs: GitHub takes one run per tool and category" % len(runs))
    run = runs[0]
    driver_rules = [r["id"] for r in run["tool"]["driver"].get("rules", [])]
    results = run.get("results", [])
    seen = {}
    for n, r in enumerate(results):
        rule = r.get("ruleId")
        if rule not in driver_rules:
            problems.append("result %d: rule %s not among the driver's rules" % (n, rule))
        elif "ruleIndex" in r and driver_rules[r["ruleIndex"]] != rule:
            problems.append("result %d: ruleIndex %d is not %s" % (n, r["ruleIndex"], rule))
        seen.setdefault(rule, set()).add(r.get("level", "warning"))
        locations = r.get("locations") or []
        if not locations:
            problems.append("result %d: no location" % n)
        for loc in locations:
            uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
            if not uri or not URI_REFERENCE.match(uri):
                problems.append("result %d: %r is not a URI reference" % (n, uri))
    for rule in rules:
        if rule not in seen:
            problems.append("no result of rule %s (have %s)" % (rule, sorted(seen)))
    for rule, level in levels.items():
        if seen.get(rule) != {level}:
            problems.append("rule %s has levels %s, expected %s" % (rule, seen.get(rule), level))
    if no_results and results:
        problems.append("%d results, expected none" % len(results))
    if count is not None and len(results) != count:
        problems.append("%d results, expected %d" % (len(results), count))
    if exit_code is not None:
        got = run.get("invocations", [{}])[0].get("exitCode")
        if got != exit_code:
            problems.append("exitCode %s, expected %d" % (got, exit_code))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
