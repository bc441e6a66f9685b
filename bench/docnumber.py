"""Benchmark: the document number-symbol parser against one compiled regular expression.

Goal (issue 12, "Measured"): "The number-symbol parser: rate on one core over a mixed list of
valid and invalid numbers, and its ratio to one compiled regular-expression match over the same
strings (goal: at least 0.5 of it and at least 500,000 numbers a second)".

Run ``make bench`` (or ``.venv/bin/python bench/docnumber.py``). No database. The script:

- builds a list of ``--count`` strings (default 200,000) from realistic templates with a fixed
  seed: half valid (State, official letters, normative, laws, Party; a fifth of them pasted with
  the "Số:" / "Số" label, some with a final full stop or a no-break space), half invalid (spaces
  inside, a missing or zero number, a bad year, a missing body, the wrong separator, an en dash,
  a stray character, text after the number …). The sequence numbers, years and codes vary, so
  repeats are rare; nothing is cached across calls anyway;
- checks that ``parse`` accepts exactly the valid half and that every refusal names a part;
- times, in the same process pinned to one core, interleaved, with the garbage collector off
  (as ``timeit`` does), the median of ``--repeat`` rounds, in CPU time of the thread (so that
  other processes on the machine do not count against either side), of:
  - reference: ``REF.match(s)`` for every string, ``REF`` one compiled ``^\\d+[-/]\\S+$``;
  - try_parse: ``try_parse(s)`` for every string (None on a refusal, as ``re.match``
    answers; the parser's entry for callers that expect misses, and what is judged);
  and, for information only (not judged): ``parse(s)`` catching ``DocumentNumberError`` (the
  same parser, plus an exception per refusal), the parser's own pattern matched with an exception
  raised and caught on each miss (the floor of any parser with this interface: the ratio cannot
  be better than this one's), parse then read every field of each accepted number, and parse
  then read the Vietnamese message of each refusal;
- prints each rate, the ratio and PASS/MISS against both goals. Exit status 1 on a MISS.

Options: ``--count N``, ``--repeat N`` (default 7), ``--seed N``.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable

import harness

GOAL_RATIO = 0.5
GOAL_RATE = 500_000
REF = re.compile(r"^\d+[-/]\S+$")

STATE_TYPES = ("QĐ", "KH", "BC", "TB", "CT", "HD", "TTr", "NQ", "PA", "ĐA", "GM", "CV")
STATE_BODIES = ("UBND", "HĐND", "SNV", "STC", "SYT", "BCĐ", "UBMTTQ", "BTGDV", "UBKT", "VP")
LETTER_BODIES = ("UBND", "SNV", "STC", "SYT", "UBMTTQ", "HĐND")
LETTER_UNITS = ("VP", "VX", "KT", "NC", "TH", "TCCB", "KGVX", "TNMT")
NORMATIVE = (
    ("NĐ", "CP"), ("TT", "BTC"), ("TT", "BNV"), ("QĐ", "TTg"), ("QĐ", "UBND"), ("NQ", "HĐND"),
    ("TTLT", "BTP-BNV"), ("TT", "TTCP"), ("NQLT", "CP-UBTƯMTTQVN"),
)  # fmt: skip
PARTY_TYPES = ("KH", "NQ", "QĐ", "HD", "BC", "CT", "TB", "CV", "KL", "CTr", "QĐi")
PARTY_BODIES = ("TU", "TW", "TƯ", "ĐU", "HU", "BDVTU", "BTGDVTU", "VPTW", "BDVTƯ", "BCĐ", "UBKTTU")
LABELS = ("Số: ", "Số ", "số: ", "SỐ: ", "Số:\u00a0", "Số : ", "So: ")


def valid_number(rng: random.Random) -> str:
    n = rng.randint(1, 2500)
    kind = rng.random()
    if kind < 0.35:
        text = f"{n}/{rng.choice(STATE_TYPES)}-{rng.choice(STATE_BODIES)}"
    elif kind < 0.50:
        text = f"{n}/{rng.choice(LETTER_BODIES)}-{rng.choice(LETTER_UNITS)}"
    elif kind < 0.65:
        doc_type, body = rng.choice(NORMATIVE)
        text = f"{n:02d}/{rng.randint(2005, 2026)}/{doc_type}-{body}"
    elif kind < 0.70:
        text = f"{rng.randint(1, 120):02d}/{rng.randint(2016, 2026)}/{rng.choice(('QH', 'UBTVQH'))}{rng.choice((14, 15))}"  # noqa: E501
    else:
        text = f"{n:02d}-{rng.choice(PARTY_TYPES)}/{rng.choice(PARTY_BODIES)}"
    dress = rng.random()
    if dress < 0.20:
        text = rng.choice(LABELS) + text
    elif dress < 0.25:
        text = f" {text}."
    return text


def invalid_number(rng: random.Random) -> str:
    text = valid_number(rng)
    bare = text.split(" ")[-1].split("\u00a0")[-1].rstrip(".")
    n = bare.split("/")[0].split("-")[0]
    rest = bare[len(n) :]
    spoil = rng.randrange(14)
    if spoil == 0:
        return bare.replace("/", " / ", 1)  # spaces inside
    if spoil == 1:
        return rest  # number missing
    if spoil == 2:
        return "0" + rest  # zero
    if spoil == 3:
        return f"{n}/{rng.choice(('1890', '2203', '99'))}/NĐ-CP"  # bad year
    if spoil == 4:
        return f"{n}/{rng.choice(STATE_TYPES)}"  # body missing
    if spoil == 5:
        return f"{n}/{rng.choice(PARTY_TYPES)}/{rng.choice(PARTY_BODIES)}"  # Party with "/"
    if spoil == 6:
        return bare.replace("-", "\u2013", 1) if "-" in bare else bare + "\u2013"  # en dash
    if spoil == 7:
        return bare.replace("/", rng.choice(("#", "\\", "_", "*")), 1)  # stray character
    if spoil == 8:
        return f"Số: {bare} ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/2025"  # trailing date
    if spoil == 9:
        return f"Số hiệu: {bare}"  # another label
    if spoil == 10:
        return f"{n}-{rng.choice(PARTY_TYPES)}/"  # Party body missing
    if spoil == 11:
        tail = rest[1:]
        return f"{n}.{tail}" if tail[:1].isdigit() else f"{n}{tail}"  # separator missing
    if spoil == 12:
        return bare + "-"  # body ends with a hyphen
    return f"{rng.randint(100000, 9999999)}{rest}"  # number too long


def build(count: int, seed: int) -> tuple[list[str], int]:
    rng = random.Random(seed)
    valid = [valid_number(rng) for _ in range(count // 2)]
    invalid = [invalid_number(rng) for _ in range(count - count // 2)]
    mixed = valid + invalid
    rng.shuffle(mixed)
    return mixed, len(valid)


def cpu_medians(fns: dict[str, Callable[[], None]], repeat: int) -> dict[str, float]:
    """Like ``harness.medians`` (interleaved rounds, median in ms), but in CPU time of this
    thread: the rate on one core, whatever else the machine is running meanwhile."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.thread_time()
            fn()
            times[name].append((time.thread_time() - t0) * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()

    sys.path.insert(0, str(harness.ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.test")
    import django

    django.setup()  # only for the Vietnamese messages read in the check and the extra lines
    from danvan.core import docnumber
    from danvan.core.docnumber import PARTS, DocumentNumberError, parse, try_parse

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    strings, n_valid = build(args.count, args.seed)
    print(
        f"{len(strings):,} strings ({n_valid:,} valid, {len(strings) - n_valid:,} invalid,"
        f" {len(set(strings)):,} distinct), seed {args.seed}"
    )
    print("examples:", " | ".join(strings[:8]))

    # Check before timing: the list is what it says, and each refusal names its part.
    accepted, parts = 0, dict[str, int]()
    for s in strings:
        try:
            parse(s)
            accepted += 1
        except DocumentNumberError as exc:
            if exc.part not in PARTS or not str(exc):
                print(f"FAIL: the refusal of {s!r} names no part")
                return 1
            parts[exc.part] = parts.get(exc.part, 0) + 1
    tried = sum(1 for s in strings if try_parse(s) is not None)
    if tried != accepted:
        print(f"FAIL: try_parse accepted {tried:,} strings, parse {accepted:,}")
        return 1
    if accepted != n_valid:
        print(f"FAIL: parse accepted {accepted:,} strings, {n_valid:,} are valid")
        return 1
    print("refusals by part:", ", ".join(f"{k} {v:,}" for k, v in sorted(parts.items())))

    def ref() -> None:
        match = REF.match
        for s in strings:
            match(s)

    def trying() -> None:
        for s in strings:
            try_parse(s)

    def parsing() -> None:
        for s in strings:
            # try/except, not contextlib.suppress: the cheapest way to catch, as a caller would.
            try:  # noqa: SIM105
                parse(s)
            except DocumentNumberError:
                pass

    # The least any parser that raises can cost: the parser's own pattern, matched, and an
    # exception raised and caught for each miss. Information, to read the ratio against.
    pattern_match, refused = docnumber._PATTERN.match, docnumber._Refused

    def floor_parse(text: str) -> object:
        m = pattern_match(text)
        if m is None:
            raise refused(text)
        return m

    def floor() -> None:
        for s in strings:
            try:  # noqa: SIM105
                floor_parse(s)
            except DocumentNumberError:
                pass

    def parse_and_read() -> None:
        for s in strings:
            try:
                d = parse(s)
                _ = (d.raw, d.system, d.number, d.doc_type, d.body, d.year, d.key)
            except DocumentNumberError:
                pass

    def parse_and_message() -> None:
        for s in strings:
            try:
                parse(s)
            except DocumentNumberError as exc:
                str(exc)

    fns: dict[str, Callable[[], None]] = {
        "ref": ref,
        "try_parse": trying,
        "parse": parsing,
        "floor": floor,
        "parse+fields": parse_and_read,
        "parse+message": parse_and_message,
    }
    for fn in fns.values():  # warm-up
        fn()
    gc.disable()
    try:
        ms = cpu_medians(fns, args.repeat)
    finally:
        gc.enable()
    rate = {name: len(strings) / (t / 1000) for name, t in ms.items()}
    judged = "try_parse"
    ratio = rate[judged] / rate["ref"]

    print(f"\n=== Summary (median of {args.repeat}, one core) ===")
    print(f"reference REF.match   {rate['ref']:>12,.0f} /s  ({ms['ref']:.1f} ms)")
    print(f"try_parse             {rate['try_parse']:>12,.0f} /s  ({ms['try_parse']:.1f} ms)")
    print("  information, not judged:")
    print(
        f"  parse (raises on a refusal)          {rate['parse']:>12,.0f} /s"
        f"  (ratio {rate['parse'] / rate['ref']:.3f})"
    )
    print(
        f"  the pattern alone, raising on a miss {rate['floor']:>12,.0f} /s"
        f"  (ratio {rate['floor'] / rate['ref']:.3f}: the floor of a parser that raises)"
    )
    print(f"  parse + every field of each number   {rate['parse+fields']:>12,.0f} /s")
    print(f"  parse + the message of each refusal  {rate['parse+message']:>12,.0f} /s")
    ok_rate = rate[judged] >= GOAL_RATE
    ok_ratio = ratio >= GOAL_RATIO
    print(
        f"rate  {rate[judged]:>12,.0f} /s  goal >= {GOAL_RATE:,}   {'PASS' if ok_rate else 'MISS'}"
    )
    print(f"ratio {ratio:>12.3f}     goal >= {GOAL_RATIO}       {'PASS' if ok_ratio else 'MISS'}")
    return 0 if ok_rate and ok_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
