"""Benchmark: tasks proposed from a conclusion's text (issue 12, item 4).

Goal ("Measured"): precision and recall printed on the labelled set, both at least 0.9 for
the lead unit and the due date. Runs ``propose`` over the labelled paragraphs
(danvan/directives/proposals/data/conclusions.jsonl, and heldout.jsonl: paragraphs written
after the rules, kept apart to show how the rules do on text they were not tuned on) against
the in-memory unit tree of the set (data/units.jsonl), and prints per field precision,
recall and counts (correct / proposed / expected; the matching is defined in
danvan.directives.proposals.evaluation), the misses, and the throughput in paragraphs per
second (median of --repeat runs). No database is needed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

GOAL = 0.9
JUDGED = ("lead", "due")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.test")
    import django

    django.setup()
    from danvan.directives.proposals.evaluation import (
        DATA,
        evaluate,
        load_examples,
        load_resolver,
    )
    from danvan.directives.proposals.extract import propose

    resolver = load_resolver()
    met = True
    for name in ("conclusions.jsonl", "heldout.jsonl"):
        examples = load_examples(DATA / name)
        report = evaluate(examples, resolver)
        print(f"proposals: {name}: {report.paragraphs} paragraphs")
        for field, score in report.scores.items():
            ok = score.precision >= GOAL and score.recall >= GOAL
            judged = field in JUDGED
            met &= ok or not judged
            verdict = ("PASS" if ok else "MISS") if judged else "info"
            print(
                f"  {field:13} precision {score.precision:.3f}  recall {score.recall:.3f}"
                f"  ({score.correct} correct / {score.proposed} proposed / "
                f"{score.expected} expected)  {verdict}"
            )
        for miss in report.misses:
            print(f"    miss: {miss}")

    examples = load_examples(DATA / "conclusions.jsonl") + load_examples(DATA / "heldout.jsonl")
    rates = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for example in examples:
            propose(example.text, today=example.date, resolver=resolver)
        rates.append(len(examples) / (time.perf_counter() - started))
    rate = statistics.median(rates)
    print(f"proposals: throughput {rate:,.0f} paragraphs/s (median of {args.repeat})")
    print(
        f"proposals: goal precision and recall ≥ {GOAL} for lead unit and due date: "
        f"{'PASS' if met else 'MISS'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
