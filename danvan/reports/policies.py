"""Who may do what with report regimes and templates.

Regimes and templates are national rule data, like the legal rules (danvan.legal): every
role that works to them reads them (Perm.LEGAL_VIEW: officers, leaders, inspectors,
reviewers, administrators) and only system administrators change them
(Perm.LEGAL_MANAGE). The "to verify" flags are shown to every reader, as on the rule
table (accounts.policies.sees_rule_flags): these pages are the reference.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import PermissionDenied


def can_view_regimes(user: Any) -> bool:
    return policies.has_perm_anywhere(user, Perm.LEGAL_VIEW)


def can_manage_regimes(user: Any) -> bool:
    """Actor None is the system itself (migrations, management commands)."""
    return user is None or policies.has_perm(user, Perm.LEGAL_MANAGE, None)


def require_manage_regimes(user: Any) -> None:
    if not can_manage_regimes(user):
        raise PermissionDenied(
            _("Chỉ quản trị viên hệ thống được sửa chế độ báo cáo và mẫu báo cáo.")
        )
