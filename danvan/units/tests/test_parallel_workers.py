"""The unit table tells PostgreSQL it may be scanned by parallel workers (migration 0002),
so a subtree selection over millions of rows is split among them (bench/subtree.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_unit_table_allows_parallel_workers() -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [Unit._meta.db_table])
        (options,) = cur.fetchone()
    assert "parallel_workers=4" in (options or [])
