"""Precision and recall of ``propose`` on the labelled set (the test and the bench use it).

The labelled set, ``data/conclusions.jsonl``: one JSON object per line, a paragraph of a
conclusion (thông báo kết luận) as ``text``, the conclusion's ``date`` (what ``today`` is)
and the ``expected`` assignments, each with

- ``anchor``: a piece of text that lies inside the assigning sentence;
- ``lead``: the lead units by their names in ``data/units.jsonl`` (the tree the set is
  resolved against), or a collective: ``"@commune:<organisation>"`` (that organisation in
  every commune, ``"@commune:"`` for the communes themselves) or ``"@root:<unit kind>"``
  (the province's units of that kind); empty when the sentence assigns no unit;
- ``coord``: the coordinating units, written the same way (only those in the tree);
- ``due``: ``"YYYY-MM-DD"``, ``"regular"``, ``"rel:working_days:N"``, ``"rel:days:N"`` or null.

``data/heldout.jsonl`` has the same format: paragraphs written after the rules, in two
batches, each measured once before any rule was changed for it:

- h001–h020: precision 1.0 and recall 0.82 for both the lead unit and the due date (misses:
  "giao nhiệm vụ cho …", "Giám đốc Sở Y tế", "chậm nhất là ngày …", "15-11-2027",
  "Thời gian hoàn thành: …" as a sentence of its own, "Thanh tra tỉnh thanh tra …");
- h021–h035: precision 1.0, recall 0.73 (lead unit) and 0.79 (due date), assignments found
  0.75 (misses: "2.1." numbering, "●" bullets, "<topic>: <unit> có trách nhiệm …", the verb
  "tham gia").

The general causes were then fixed, so the set is no longer unseen text; expect text of new
shapes to score below the labelled set, and add it here with its labels when it does.

Matching: a proposal answers an expected assignment when the anchor lies inside the
proposal's span (each expected one is answered once). For a field, precision = correct /
proposals stating that field, recall = correct / expected assignments stating it; a value
is correct when the proposal answers the assignment and the field is equal (lead units: the
same set; due: the same date, kind and count). Coordinating units are counted one by one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .extract import Due, DueKind, Proposal, UnitRef, normalized_text, propose
from .resolve import UnitIndex, normalize

DATA = Path(__file__).resolve().parent / "data"
FIELDS = ("assignments", "lead", "due", "coordinating")


@dataclass(frozen=True)
class Expected:
    anchor: str
    lead: frozenset[str]
    coord: frozenset[str]
    due: str | None


@dataclass(frozen=True)
class Example:
    id: str
    date: dt.date
    text: str
    expected: tuple[Expected, ...]


@dataclass
class Score:
    proposed: int = 0
    expected: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    misses: list[str] = field(default_factory=list)
    paragraphs: int = 0


def label_key(label: str) -> str:
    """A label as ``UnitRef.key`` writes it ("@commune:Ủy ban nhân dân" → folded)."""
    if label.startswith("@commune:"):
        return "@commune:" + normalize(label.removeprefix("@commune:"))
    return label


def due_key(due: Due | None) -> str | None:
    if due is None:
        return None
    if due.kind == DueKind.REGULAR:
        return "regular"
    if due.kind == DueKind.RELATIVE:
        return f"rel:{'working_days' if due.working_days else 'days'}:{due.days}"
    return due.date.isoformat() if due.date else None


def load_examples(path: Path = DATA / "conclusions.jsonl") -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        examples.append(
            Example(
                item["id"],
                dt.date.fromisoformat(item["date"]),
                item["text"],
                tuple(
                    Expected(
                        e["anchor"],
                        frozenset(label_key(x) for x in e["lead"]),
                        frozenset(label_key(x) for x in e["coord"]),
                        e["due"],
                    )
                    for e in item["expected"]
                ),
            )
        )
    return examples


def load_resolver(path: Path = DATA / "units.jsonl") -> UnitIndex:
    return UnitIndex.from_jsonl(path)


def _keys(refs: list[UnitRef]) -> frozenset[str]:
    return frozenset(k for r in refs if r.resolved and (k := r.key))


def score(example: Example, proposals: list[Proposal], report: Report) -> None:
    """Add one paragraph's counts to *report* (and a line per miss)."""
    s = report.scores
    text = normalized_text(example.text)
    answered: dict[int, Proposal] = {}
    for i, exp in enumerate(example.expected):
        at = text.find(normalized_text(exp.anchor))
        if at < 0:
            raise ValueError(f"{example.id}: anchor {exp.anchor!r} not in the text")
        for p in proposals:
            if p.start <= at < p.end and all(q is not p for q in answered.values()):
                answered[i] = p
                break
    report.paragraphs += 1
    s["assignments"].proposed += len(proposals)
    s["assignments"].expected += len(example.expected)
    s["assignments"].correct += len(answered)
    for p in proposals:
        if _keys(p.leads):
            s["lead"].proposed += 1
        if p.due is not None:
            s["due"].proposed += 1
        s["coordinating"].proposed += len(_keys(p.coordinating))
        if all(q is not p for q in answered.values()):
            report.misses.append(f"{example.id}: extra proposal “{p.source[:70]}…”")
    for i, exp in enumerate(example.expected):
        if exp.lead:
            s["lead"].expected += 1
        if exp.due is not None:
            s["due"].expected += 1
        s["coordinating"].expected += len(exp.coord)
        answer = answered.get(i)
        if answer is None:
            report.misses.append(f"{example.id}: not found “{exp.anchor}”")
            continue
        p = answer
        leads = _keys(p.leads)
        if exp.lead and leads == exp.lead:
            s["lead"].correct += 1
        elif exp.lead or leads:
            report.misses.append(f"{example.id}: lead {sorted(leads)} ≠ {sorted(exp.lead)}")
        got = due_key(p.due)
        if exp.due is not None and got == exp.due:
            s["due"].correct += 1
        elif exp.due != got:
            report.misses.append(f"{example.id}: due {got} ≠ {exp.due}")
        coords = _keys(p.coordinating)
        s["coordinating"].correct += len(coords & exp.coord)
        if coords != exp.coord:
            report.misses.append(f"{example.id}: coord {sorted(coords)} ≠ {sorted(exp.coord)}")


def evaluate(examples: list[Example] | None = None, resolver: UnitIndex | None = None) -> Report:
    examples = load_examples() if examples is None else examples
    resolver = load_resolver() if resolver is None else resolver
    report = Report()
    for example in examples:
        score(example, propose(example.text, today=example.date, resolver=resolver), report)
    return report
