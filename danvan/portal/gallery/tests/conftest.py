"""The movement's fixtures (entries, officers), shared with the gallery's tests."""

from danvan.movement.tests.conftest import (  # noqa: F401
    commune_officer,
    field_economy,
    make_entry,
    province_officer,
)
