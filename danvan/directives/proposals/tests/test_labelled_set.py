"""Precision and recall of the proposals on the labelled set (issue 12, item 4).

Goal: at least 0.9 for the lead unit and the due date. ``evaluation`` defines the matching;
``bench/proposals.py`` prints the same numbers with every miss.
"""

from __future__ import annotations

import pytest

from danvan.directives.proposals.evaluation import DATA, evaluate, load_examples

GOAL = 0.9


@pytest.mark.parametrize("name", ["conclusions.jsonl", "heldout.jsonl"])
def test_precision_and_recall(name: str) -> None:
    report = evaluate(load_examples(DATA / name))
    for field in ("lead", "due"):
        score = report.scores[field]
        assert score.precision >= GOAL, (field, score, report.misses)
        assert score.recall >= GOAL, (field, score, report.misses)


def test_the_set_is_large_and_varied() -> None:
    examples = load_examples()
    assert len(examples) >= 60
    expected = [e for x in examples for e in x.expected]
    assert sum(1 for x in examples if not x.expected) >= 10  # sentences that assign nothing
    assert sum(1 for x in examples if len(x.expected) > 1) >= 5  # several in one paragraph
    assert len({e.due for e in expected if e.due and e.due.startswith("rel:")}) >= 2
    assert sum(1 for e in expected if e.due == "regular") >= 5
    assert sum(1 for e in expected if any(k.startswith("@") for k in e.lead)) >= 5
