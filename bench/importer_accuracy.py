"""Importer accuracy over the corpus in tests/corpus/: per field, and the furniture lines kept.

    python bench/importer_accuracy.py            # table for all cases, then for the held-out ones
    python bench/importer_accuracy.py -v         # and every wrong field, expected against found

A field is right when it equals what ``expected.json`` says (paragraphs: the whole list, in order).
Held-out batches are cases written after the rules they test, kept apart as a check that the rules
hold for pages they were not made on (a batch stays in its table after later fixes, so the first
run of each is the figure that counts; see tests/corpus/README.md).
Goal: at least 97% of fields right and no furniture line kept.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from articles.importing import ImportProblem, parse_file  # noqa: E402
from tests.corpus.cases import FIELDS, actual_fields, cases, field_right, furniture_kept  # noqa: E402

GOAL = 0.97


def run(verbose: bool) -> dict:
    results = {}
    for case in cases():
        try:
            actual = actual_fields(parse_file(case.path.name, case.data()))
        except ImportProblem as problem:
            actual = {
                "title": "",
                "date": None,
                "authors": [],
                "language": "",
                "paragraphs": [],
                "error": str(problem),
            }
        right = {field: field_right(field, case.expected[field], actual[field]) for field in FIELDS}
        kept = furniture_kept(case.expected, actual)
        results[case.name] = (case, right, kept)
        if verbose:
            for field in FIELDS:
                if not right[field]:
                    print(
                        f"{case.name}: {field}\n  expected {case.expected[field]!r}\n  found    {actual[field]!r}"
                    )
            for line in kept:
                print(f"{case.name}: furniture kept: {line!r}")
            if "error" in actual:
                print(f"{case.name}: error: {actual['error']}")
    return results


def table(title: str, rows: list) -> bool:
    print(f"\n{title} ({len(rows)} cases)")
    print(f"{'field':<12}{'right':>8}{'of':>6}{'accuracy':>10}")
    total = right_total = 0
    for field in FIELDS:
        right = sum(r[field] for _case, r, _kept in rows)
        total += len(rows)
        right_total += right
        print(f"{field:<12}{right:>8}{len(rows):>6}{right / len(rows):>10.1%}")
    kept = sum(len(k) for _case, _r, k in rows)
    furniture = sum(len(case.expected.get("furniture", [])) for case, _r, _k in rows)
    accuracy = right_total / total if total else 0.0
    print(f"{'all fields':<12}{right_total:>8}{total:>6}{accuracy:>10.1%}")
    print(f"furniture lines kept: {kept} of {furniture}")
    met = accuracy >= GOAL and kept == 0
    print(f"goal (>= {GOAL:.0%} of fields, no furniture kept): {'met' if met else 'NOT met'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    results = run(args.verbose)
    rows = list(results.values())
    met = table("All cases", rows)
    for batch in sorted({row[0].batch for row in rows if row[0].batch}):
        table(f"Held-out batch {batch}", [row for row in rows if row[0].batch == batch])
    table("Development cases", [row for row in rows if not row[0].batch])
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
