"""The policy matrix: every actor against seeing and changing a province's conference
and a commune's (same unit, child, parent, sibling, national admin, anonymous)."""

from __future__ import annotations

from typing import Any

import pytest

from danvan.directives.conferences import policies, selectors
from danvan.directives.conferences.models import Conference

pytestmark = pytest.mark.django_db

# (actor, sees the province's, changes it, sees the commune's, changes it)
MATRIX = [
    ("province", True, True, True, True),  # same unit / parent of the commune
    ("commune", True, False, True, True),  # child of the province / same unit
    ("sibling", True, False, False, False),  # another commune: the province's flows down
    ("reviewer", True, False, True, False),  # reads the province's subtree
    ("admin", True, True, True, True),  # national
    ("anonymous", False, False, False, False),
]


@pytest.mark.parametrize(("who", "view_p", "manage_p", "view_c", "manage_c"), MATRIX)
def test_matrix(
    actors: dict[str, Any],
    conference: Conference,
    commune_conference: Conference,
    who: str,
    view_p: bool,
    manage_p: bool,
    view_c: bool,
    manage_c: bool,
) -> None:
    user = actors[who]
    assert policies.can_view(user, conference) is view_p
    assert policies.can_manage(user, conference) is manage_p
    assert policies.can_view(user, commune_conference) is view_c
    assert policies.can_manage(user, commune_conference) is manage_c
    # The list filter says the same as the predicate.
    seen = set(Conference.objects.filter(policies.visible_q(user)).values_list("pk", flat=True))
    assert (conference.pk in seen) is view_p
    assert (commune_conference.pk in seen) is view_c
    # And the selector answers like a missing one when out of sight.
    if not view_c:
        with pytest.raises(selectors.NotFound):
            selectors.conference_get(user=user, public_id=commune_conference.public_id)
