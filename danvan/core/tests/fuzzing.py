"""What the fuzz tests share: how many examples to draw and the hostile values."""

from __future__ import annotations

import os
from typing import Any

from schemathesis.core.result import Ok

# Examples per operation or form: small by default so the suite stays fast (the fuzz
# tests together take well under two minutes on SQLite); raise it for a deeper run,
# e.g. DANVAN_FUZZ_EXAMPLES=200 pytest -k fuzz.
EXAMPLES = int(os.environ.get("DANVAN_FUZZ_EXAMPLES", "6"))

# Values that broke doors before, or that PostgreSQL and Python refuse: a NUL byte,
# numbers past every integer column, dates at the ends of what Python holds, negative
# and zero pages, malformed identifiers, text far over any limit, control and
# non-BMP characters, markup.
HOSTILE_VALUES = [
    "\x00",
    "a\x00b",
    "99999999999999999999999",
    "-9223372036854775809",
    "-1",
    "0",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "01/01/0001",
    "9999-12",
    "13/2026",
    "not-a-uuid",
    "00000000-0000-0000-0000-00000000000g",
    "x" * 5000,
    "\u0001\u001f\ufffe\U0001f600",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%",
    "",
]

# Query parameters the site's pages commonly read, sent to every page on top of the
# ones found in its forms and links.
COMMON_PARAMETERS = ["page", "q", "unit", "kind", "status", "year", "date", "from", "to", "sort"]


def operations_of(schema: Any) -> list[Any]:
    """Every operation of a schemathesis schema; a schema it cannot read fails loudly
    (an operation left out would go unfuzzed)."""
    operations = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            raise AssertionError(f"schemathesis cannot read an operation: {result.err()}")
        operations.append(result.ok())
    return operations
