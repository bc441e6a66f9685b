"""The cases' and the movement's fixtures, shared with the open-data tests."""

from danvan.cases.tests.conftest import officer, receive  # noqa: F401
from danvan.movement.tests.conftest import field_economy, make_entry  # noqa: F401
