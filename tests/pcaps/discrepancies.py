"""Known discrepancies between a front end and a capture's manifest.

tests/pcaps/known-discrepancies.json lists (capture, frame) pairs whose
difference is understood; both manifest checkers report them as notes
instead of failures.
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def load_known():
    with open(os.path.join(HERE, "known-discrepancies.json"), encoding="utf-8") as f:
        return {(d["capture"], d["frame"]): d["reason"] for d in json.load(f)["discrepancies"]}


def file_mismatch(text, capture, frame, known, problems, notes):
    """Files one mismatch as a known note or as a problem."""
    if (capture, frame) in known:
        notes.append("KNOWN " + text + "\n  (" + known[(capture, frame)] + ")")
    else:
        problems.append(text)
