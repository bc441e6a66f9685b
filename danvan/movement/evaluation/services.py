"""Every write of the evaluation rounds: criteria sets, opening, scoring, submitting, confirming.

The rules, in the order a round lives them (issue 3, item 3; domain.md §4):
- criteria sets are data an administrator edits (EVALUATION_ADMIN on the owning unit,
  national sets by system administrators); once a round has used a set, its weights,
  maxima and list of criteria are frozen (wording may still be corrected), so scores
  already given keep their meaning;
- an administrator of a level opens a round over entries of the level's subtree that
  are submitted for review, with reviewers who hold EVALUATION_SCORE on the level;
- each reviewer scores each candidate on each criterion (0 to the criterion's maximum)
  and submits once, after which their scores are final;
- the administrator confirms, and the confirmation performs the entries' transitions
  through the movement's own life-cycle service, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.models import User
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.audit.models import AuditEvent
from danvan.core import docnumber
from danvan.core.errors import Checks, DomainError, NotFound, PermissionDenied
from danvan.units.models import Unit, UnitKind
from danvan.worklist.models import Notice
from danvan.worklist.services import notice_send

from .. import services as movement
from ..models import (
    CriteriaSet,
    Criterion,
    Entry,
    EvaluationRound,
    Level,
    Outcome,
    Period,
    RoundCandidate,
    RoundReviewer,
    Score,
    Status,
)
from . import selectors


class EvaluationError(StrEnum):
    BAD_VALUE = "evaluation_bad_value"
    BAD_CRITERIA = "evaluation_bad_criteria"
    CRITERIA_IN_USE = "evaluation_criteria_in_use"
    BAD_CRITERIA_SET = "evaluation_bad_criteria_set"
    BAD_CANDIDATE = "evaluation_bad_candidate"
    BAD_REVIEWER = "evaluation_bad_reviewer"
    ROUND_CLOSED = "evaluation_round_closed"
    ALREADY_SUBMITTED = "evaluation_already_submitted"
    BAD_SCORE = "evaluation_bad_score"
    INCOMPLETE = "evaluation_incomplete"
    NOT_ALL_SUBMITTED = "evaluation_not_all_submitted"
    BAD_OUTCOME = "evaluation_bad_outcome"
    DECISION_REQUIRED = "evaluation_decision_required"
    BAD_DECISION_NUMBER = "evaluation_bad_decision_number"


def _error(
    code: EvaluationError, message: str, *, field: str | None = None, **params: Any
) -> DomainError:
    return DomainError(code.value, message, field=field, **params)


def _number(value: Any) -> Decimal:
    """*value* as a Decimal (a decimal comma accepted); NaN when it is not a number."""
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return Decimal("NaN")


def _decimal(value: Any, *, field: str, label: str) -> Decimal:
    number = _number(value)
    if not number.is_finite():
        raise _error(
            EvaluationError.BAD_VALUE,
            _("%(label)s phải là một số.") % {"label": label},
            field=field,
        )
    return number


def number_text(value: Decimal) -> str:
    """A number as Vietnamese writes it: decimal comma, no trailing zeros (“7,5”, “10”)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _two_decimals(number: Decimal) -> bool:
    return number == number.quantize(Decimal("0.01"))


def _percent(value: Any, *, field: str, label: str, low: Decimal = Decimal(0)) -> Decimal:
    number = _decimal(value, field=field, label=label)
    if number < low or number > 100 or not _two_decimals(number):
        raise _error(
            EvaluationError.BAD_VALUE,
            _("%(label)s phải từ %(low)s đến 100, tối đa hai chữ số thập phân.")
            % {"label": label, "low": number_text(low)},
            field=field,
        )
    return number


# -- criteria sets ---------------------------------------------------------------


@dataclass(frozen=True)
class CriterionInput:
    """One criterion as an administrator enters it; *id* names an existing one to change."""

    name: str
    weight: Decimal
    max_points: Decimal
    description: str = ""
    order: int = 0
    id: int | None = None


def _clean_criteria(criteria: Sequence[CriterionInput]) -> list[CriterionInput]:
    if not criteria:
        raise _error(
            EvaluationError.BAD_CRITERIA,
            _("Bộ tiêu chí cần ít nhất một tiêu chí."),
            field="criteria",
        )
    cleaned = []
    for index, item in enumerate(criteria, start=1):
        name = (item.name or "").strip()
        if not name:
            raise _error(
                EvaluationError.BAD_CRITERIA,
                _("Tiêu chí thứ %(n)s: nhập tên tiêu chí.") % {"n": index},
                field="criteria",
            )
        weight = _decimal(item.weight, field="criteria", label=_("Trọng số"))
        max_points = _decimal(item.max_points, field="criteria", label=_("Điểm tối đa"))
        if weight <= 0 or weight >= 1000 or not _two_decimals(weight):
            raise _error(
                EvaluationError.BAD_CRITERIA,
                _("Tiêu chí “%(name)s”: trọng số phải lớn hơn 0 và nhỏ hơn 1000.") % {"name": name},
                field="criteria",
            )
        if max_points <= 0 or max_points >= 10000 or not _two_decimals(max_points):
            raise _error(
                EvaluationError.BAD_CRITERIA,
                _("Tiêu chí “%(name)s”: điểm tối đa phải lớn hơn 0 và nhỏ hơn 10000.")
                % {"name": name},
                field="criteria",
            )
        cleaned.append(
            replace(
                item,
                name=name[:300],
                description=(item.description or "").strip(),
                weight=weight,
                max_points=max_points,
                order=item.order if item.order else index,
            )
        )
    return cleaned


def _criteria_snapshot(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "order": c.order,
            "name": c.name,
            "weight": str(c.weight),
            "max_points": str(c.max_points),
        }
        for c in Criterion.objects.filter(criteria_set=criteria_set)
    ]


def _set_header(*, name: str, source: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise _error(EvaluationError.BAD_VALUE, _("Nhập tên bộ tiêu chí."), field="name")
    return name[:200], (source or "").strip()[:200]


@transaction.atomic
def criteria_set_create(
    *,
    actor: Any,
    owner: Unit | None,
    name: str,
    criteria: Sequence[CriterionInput],
    source: str = "",
    is_active: bool = True,
) -> CriteriaSet:
    """A new criteria set of *owner* (None: national, for system administrators only)."""
    if actor is not None:
        policies.require(actor, Perm.EVALUATION_ADMIN, owner)
    name, source = _set_header(name=name, source=source)
    cleaned = _clean_criteria(criteria)
    criteria_set = CriteriaSet.objects.create(
        name=name, owner=owner, source=source, is_active=is_active
    )
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            order=item.order,
            name=item.name,
            description=item.description,
            weight=item.weight,
            max_points=item.max_points,
        )
        for item in cleaned
    )
    after = {**audit.snapshot(criteria_set), "criteria": _criteria_snapshot(criteria_set)}
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=criteria_set,
        changes=audit.diff({}, after),
    )
    return criteria_set


@transaction.atomic
def criteria_set_update(
    *,
    actor: Any,
    criteria_set: CriteriaSet,
    name: str,
    source: str = "",
    is_active: bool = True,
    criteria: Sequence[CriterionInput] | None = None,
) -> CriteriaSet:
    """Change a set; *criteria* (when given) is the whole new list: rows with an id are
    changed, rows without are added, existing criteria left out are removed."""
    if actor is not None:
        policies.require(actor, Perm.EVALUATION_ADMIN, criteria_set.owner)
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    name, source = _set_header(name=name, source=source)
    before = {**audit.snapshot(criteria_set), "criteria": _criteria_snapshot(criteria_set)}
    criteria_set.name, criteria_set.source, criteria_set.is_active = name, source, is_active
    criteria_set.save()
    if criteria is not None:
        _replace_criteria(criteria_set, _clean_criteria(criteria))
    after = {**audit.snapshot(criteria_set), "criteria": _criteria_snapshot(criteria_set)}
    changes = audit.diff(before, after)
    if changes:
        audit.record(
            actor=actor, action=AuditEvent.Action.UPDATE, instance=criteria_set, changes=changes
        )
    return criteria_set


def _replace_criteria(criteria_set: CriteriaSet, cleaned: list[CriterionInput]) -> None:
    existing = {c.pk: c for c in Criterion.objects.filter(criteria_set=criteria_set)}
    unknown = [item.id for item in cleaned if item.id is not None and item.id not in existing]
    if unknown:
        raise _error(
            EvaluationError.BAD_CRITERIA,
            _("Có tiêu chí không thuộc bộ tiêu chí này."),
            field="criteria",
        )
    kept = {item.id for item in cleaned if item.id is not None}
    removed = [pk for pk in existing if pk not in kept]
    added = [item for item in cleaned if item.id is None]
    reweighted = [
        item
        for item in cleaned
        if item.id is not None
        and (
            existing[item.id].weight != item.weight
            or existing[item.id].max_points != item.max_points
        )
    ]
    # Scores point at criteria and their meaning rests on the weights and maxima: once a
    # round has used the set, only the wording and order may still be corrected.
    if (removed or added or reweighted) and selectors.criteria_set_in_use(criteria_set):
        raise _error(
            EvaluationError.CRITERIA_IN_USE,
            _(
                "Bộ tiêu chí đã được dùng trong đợt đánh giá: không thể thêm, bớt tiêu chí hay"
                " đổi trọng số, điểm tối đa. Hãy tạo bộ tiêu chí mới (có thể sao chép bộ này)."
            ),
            field="criteria",
        )
    Criterion.objects.filter(pk__in=removed).delete()
    changed = []
    for item in cleaned:
        if item.id is None:
            continue
        row = existing[item.id]
        row.order, row.name, row.description = item.order, item.name, item.description
        row.weight, row.max_points = item.weight, item.max_points
        changed.append(row)
    Criterion.objects.bulk_update(
        changed, ["order", "name", "description", "weight", "max_points", "updated_at"]
    )
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            order=item.order,
            name=item.name,
            description=item.description,
            weight=item.weight,
            max_points=item.max_points,
        )
        for item in added
    )


# -- opening a round ---------------------------------------------------------------


def round_level(level_unit: Unit) -> str:
    """The level (for the recognition decisions) of a round held at *level_unit*: a
    province, a commune or a village is its own tier; an organization attached to a
    level (parent loaded) takes that level's tier."""
    if level_unit.kind == UnitKind.PROVINCE:
        return Level.PROVINCE
    if level_unit.kind in (UnitKind.COMMUNE, UnitKind.VILLAGE):
        return Level.COMMUNE
    parent = level_unit.parent
    return (
        Level.PROVINCE if parent is not None and parent.kind == UnitKind.PROVINCE else Level.COMMUNE
    )


def _check_candidates(level_unit: Unit, entries: Iterable[Entry]) -> list[Entry]:
    """The candidates re-read under a lock: their status and open rounds are the state
    of other rows, so this stays in round_open (round_checks has refused an empty list)."""
    ids = list(dict.fromkeys(e.pk for e in entries))
    # Locked, so an entry cannot leave "submitted" or join another round meanwhile.
    rows = {
        e.pk: e
        for e in Entry.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk__in=ids)
    }
    busy = set(
        RoundCandidate.objects.filter(
            entry_id__in=ids, round__state=EvaluationRound.State.OPEN
        ).values_list("entry_id", flat=True)
    )
    checked = []
    for pk in ids:
        entry = rows.get(pk)
        if entry is None or not entry.unit.is_descendant_of(level_unit):
            raise _error(
                EvaluationError.BAD_CANDIDATE,
                _("Mô hình “%(name)s” không thuộc đơn vị “%(unit)s” hoặc các đơn vị trực thuộc.")
                % {"name": entry.name if entry else pk, "unit": level_unit.name},
                field="candidates",
            )
        if entry.status != Status.SUBMITTED:
            raise _error(
                EvaluationError.BAD_CANDIDATE,
                _("Mô hình “%(name)s” đang ở trạng thái “%(status)s”, chưa đề nghị đánh giá.")
                % {"name": entry.name, "status": entry.get_status_display()},
                field="candidates",
            )
        if pk in busy:
            raise _error(
                EvaluationError.BAD_CANDIDATE,
                _("Mô hình “%(name)s” đang ở trong một đợt đánh giá khác chưa kết thúc.")
                % {"name": entry.name},
                field="candidates",
            )
        checked.append(entry)
    return checked


def round_checks(data: Mapping[str, Any], *, level_unit: Unit) -> None:
    """Every rule on opening a round at *level_unit* that needs no lock, for the keys of
    *data* present (round_open's keyword names; a form passes the fields that parsed);
    one DomainError lists every problem.

    round_open runs it before it writes; RoundForm runs it in its own validation, so the
    administrator sees the form's errors and these in one answer (docs/validation.md).
    Whether each candidate is still submitted and in no other open round is the state of
    other rows: round_open checks it under their locks.
    """
    checks = Checks()
    if level_unit.valid_to is not None:
        checks.refuse(
            EvaluationError.BAD_VALUE,
            _("“%(unit)s” đã hết hiệu lực: chỉ mở đợt đánh giá ở đơn vị đang hoạt động.")
            % {"unit": level_unit.name},
            field="level_unit",
        )
    if "name" in data and not (data["name"] or "").strip():
        checks.refuse(EvaluationError.BAD_VALUE, _("Nhập tên đợt đánh giá."), field="name")
    year = data.get("year")
    if year is not None:
        _check_year(checks, int(year), data)
    criteria_set = data.get("criteria_set")
    if (
        isinstance(criteria_set, CriteriaSet)
        and not selectors.criteria_sets_for_level(level_unit).filter(pk=criteria_set.pk).exists()
    ):
        checks.refuse(
            EvaluationError.BAD_CRITERIA_SET,
            _("Bộ tiêu chí “%(name)s” không dùng được ở cấp này (đã ngừng dùng, chưa có tiêu chí"
              " hoặc của đơn vị khác): chọn bộ tiêu chí quốc gia hoặc của cấp này, cấp trên.")
            % {"name": criteria_set.name},
            field="criteria_set",
        )  # fmt: skip
    _check_marks(checks, data)
    if "candidates" in data and not list(data["candidates"]):
        checks.refuse(
            EvaluationError.BAD_CANDIDATE,
            _("Chọn ít nhất một mô hình, điển hình để đánh giá."),
            field="candidates",
        )
    if "reviewers" in data:
        _check_reviewers(checks, level_unit, data["reviewers"])
    checks.raise_if_any()


def _check_year(checks: Checks, year: int, data: Mapping[str, Any]) -> None:
    last = timezone.localdate().year + 1
    if not (2000 <= year <= last):
        checks.refuse(
            EvaluationError.BAD_VALUE,
            _("Năm phải từ 2000 đến năm sau (%(last)s); bạn nhập %(year)s.")
            % {"last": last, "year": year},
            field="year",
        )
        return
    if "period" not in data:  # the period field has its own error
        return
    period = data["period"]
    if period is not None and not period.contains(year):
        checks.refuse(
            EvaluationError.BAD_VALUE,
            _("Năm %(year)s không thuộc giai đoạn %(period)s: chọn năm từ %(start)s đến %(end)s"
              " hoặc để trống giai đoạn (theo năm đánh giá).")
            % {"year": year, "period": period.name, "start": period.start_year,
               "end": period.end_year},
            field="period",
        )  # fmt: skip
    elif (
        period is None
        and not Period.objects.filter(start_year__lte=year, end_year__gte=year).exists()
    ):
        spans = [f"{a}–{b}" for a, b in Period.objects.values_list("start_year", "end_year")]
        checks.refuse(
            EvaluationError.BAD_VALUE,
            _("Năm %(year)s không thuộc giai đoạn nào của phong trào: chọn năm trong giai đoạn"
              " %(periods)s.")
            % {"year": year, "periods": _(" hoặc ").join(spans) or "—"},
            field="year",
        )  # fmt: skip


def _check_marks(checks: Checks, data: Mapping[str, Any]) -> None:
    """The pass mark, the exemplary mark and the disagreement threshold: percentages."""
    pass_value = None
    if "pass_mark" in data:
        with checks.collect():
            pass_value = _percent(
                data["pass_mark"], field="pass_mark", label=_("Điểm đạt"), low=Decimal("0.01")
            )
    if data.get("exemplary_mark") not in (None, ""):
        with checks.collect():
            exemplary_value = _percent(
                data["exemplary_mark"], field="exemplary_mark", label=_("Điểm tiêu biểu")
            )
            if pass_value is not None and exemplary_value < pass_value:
                checks.refuse(
                    EvaluationError.BAD_VALUE,
                    _("Điểm tiêu biểu không được thấp hơn điểm đạt (%(pass)s): nhập từ"
                      " %(pass)s đến 100, hoặc để trống nếu không chọn điển hình.")
                    % {"pass": number_text(pass_value)},
                    field="exemplary_mark",
                )  # fmt: skip
    if "disagreement_threshold" in data:
        with checks.collect():
            _percent(
                data["disagreement_threshold"],
                field="disagreement_threshold",
                label=_("Ngưỡng chênh lệch"),
            )


def _check_reviewers(checks: Checks, level_unit: Unit, users: Iterable[User]) -> None:
    unique = list({u.pk: u for u in users}.values())
    if not unique:
        checks.refuse(
            EvaluationError.BAD_REVIEWER,
            _("Chọn ít nhất một thành viên chấm điểm."),
            field="reviewers",
        )
    for user in unique:
        if not user.is_active or not policies.has_perm(user, Perm.EVALUATION_SCORE, level_unit):
            checks.refuse(
                EvaluationError.BAD_REVIEWER,
                _("“%(name)s” không có quyền chấm điểm ở “%(unit)s”: chỉ chọn người có vai trò"
                  " thành viên hội đồng đánh giá ở cấp này hoặc cấp trên.")
                % {"name": user.get_full_name(), "unit": level_unit.name},
                field="reviewers",
            )  # fmt: skip


@transaction.atomic
def round_open(
    *,
    actor: Any,
    level_unit: Unit,
    name: str,
    year: int,
    criteria_set: CriteriaSet,
    pass_mark: Any,
    candidates: Iterable[Entry],
    reviewers: Iterable[User],
    exemplary_mark: Any = None,
    disagreement_threshold: Any = Decimal(20),
    period: Period | None = None,
) -> EvaluationRound:
    """Open a round at *level_unit* over submitted entries of its subtree."""
    if actor is not None:
        policies.require(actor, Perm.EVALUATION_ADMIN, level_unit)
    candidates, reviewers = list(candidates), list(reviewers)
    round_checks(
        {
            "name": name,
            "year": year,
            "period": period,
            "criteria_set": criteria_set,
            "pass_mark": pass_mark,
            "exemplary_mark": exemplary_mark,
            "disagreement_threshold": disagreement_threshold,
            "candidates": candidates,
            "reviewers": reviewers,
        },
        level_unit=level_unit,
    )
    name = name.strip()
    if period is None:
        period = movement.period_for_year(int(year))
    # The marks passed round_checks: what is left is to read them as numbers.
    pass_value = _number(pass_mark)
    exemplary_value = None if exemplary_mark in (None, "") else _number(exemplary_mark)
    threshold = _number(disagreement_threshold)
    entries = _check_candidates(level_unit, candidates)
    users = list({u.pk: u for u in reviewers}.values())
    evaluation_round = EvaluationRound.objects.create(
        name=name[:200],
        level_unit=level_unit,
        year=int(year),
        period=period,
        criteria_set=criteria_set,
        pass_mark=pass_value,
        exemplary_mark=exemplary_value,
        disagreement_threshold=threshold,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    RoundCandidate.objects.bulk_create(
        RoundCandidate(round=evaluation_round, entry=e) for e in entries
    )
    RoundReviewer.objects.bulk_create(RoundReviewer(round=evaluation_round, user=u) for u in users)
    notice_send(
        users=users,
        kind=Notice.Kind.REVIEW_ASSIGNED,
        title=_("Bạn được phân công chấm điểm đợt “%(name)s”") % {"name": evaluation_round.name},
        url=reverse("movement:round_detail", args=[evaluation_round.public_id]),
        unit=level_unit,
    )
    after = {
        **audit.snapshot(evaluation_round),
        "candidates": [str(e.public_id) for e in entries],
        "reviewers": [u.get_username() for u in users],
    }
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=evaluation_round,
        changes=audit.diff({}, after),
    )
    return evaluation_round


# -- scoring -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    """A reviewer's points on one criterion; points None clears a score given before."""

    criterion_id: int
    points: Any
    comment: str = ""


def _reviewer_for(actor: Any, evaluation_round: EvaluationRound) -> RoundReviewer:
    """The actor's reviewer row, locked; 404 when the round is out of sight, 403 when the
    actor sees it (as an administrator) but is not one of its reviewers."""
    access = selectors.round_access(actor, evaluation_round)
    if access.reviewer is None:
        raise PermissionDenied(_("Bạn không phải thành viên chấm điểm của đợt đánh giá này."))
    reviewer = RoundReviewer.objects.select_for_update().get(pk=access.reviewer.pk)
    reviewer.round = evaluation_round
    return reviewer


def _check_open(evaluation_round: EvaluationRound) -> None:
    # The state as committed, read under the round's row lock (callers run in a
    # transaction): a page loaded before the round was confirmed or cancelled must not
    # score into it, and a score cannot slip in while a confirmation runs.
    state = (
        EvaluationRound.objects.select_for_update()
        .filter(pk=evaluation_round.pk)
        .values_list("state", flat=True)
        .first()
    )
    evaluation_round.state = state or evaluation_round.state
    if evaluation_round.state != EvaluationRound.State.OPEN:
        raise _error(
            EvaluationError.ROUND_CLOSED,
            _("Đợt đánh giá “%(name)s” đã kết thúc (%(state)s).")
            % {"name": evaluation_round.name, "state": evaluation_round.get_state_display()},
        )


def _check_scores(
    criteria: dict[int, Criterion], scores: Sequence[ScoreInput]
) -> list[tuple[Criterion, Decimal | None, str]]:
    """Every score of a submission checked before anything is written; all problems are
    reported together (the message) and one per criterion (``params["errors"]``)."""
    problems: dict[int, str] = {}
    cleaned: list[tuple[Criterion, Decimal | None, str]] = []
    seen: set[int] = set()
    for item in scores:
        criterion = criteria.get(int(item.criterion_id))
        if criterion is None:
            raise _error(
                EvaluationError.BAD_SCORE,
                _("Tiêu chí số %(id)s không thuộc bộ tiêu chí của đợt đánh giá.")
                % {"id": item.criterion_id},
                field="criterion_id",
            )
        if criterion.pk in seen:
            raise _error(
                EvaluationError.BAD_SCORE,
                _("Tiêu chí “%(name)s” được chấm hai lần trong cùng một lượt.")
                % {"name": criterion.name},
                field="criterion_id",
            )
        seen.add(criterion.pk)
        comment = (item.comment or "").strip()
        if item.points is None or str(item.points).strip() == "":
            cleaned.append((criterion, None, comment))
            continue
        labels = {"name": criterion.name, "max": number_text(criterion.max_points)}
        try:
            points = _decimal(item.points, field="points", label=criterion.name)
        except DomainError:
            problems[criterion.pk] = _("Điểm tiêu chí “%(name)s” phải là một số.") % labels
            continue
        if points < 0:
            problems[criterion.pk] = _("Điểm tiêu chí “%(name)s” không được âm.") % labels
        elif points > criterion.max_points:
            problems[criterion.pk] = (
                _("Điểm tiêu chí “%(name)s” vượt quá điểm tối đa (%(max)s).") % labels
            )
        elif not _two_decimals(points):
            problems[criterion.pk] = (
                _("Điểm tiêu chí “%(name)s” chỉ được có tối đa hai chữ số thập phân.") % labels
            )
        else:
            cleaned.append((criterion, points, comment))
    if problems:
        raise _error(
            EvaluationError.BAD_SCORE,
            " ".join(problems.values()),
            field="points",
            errors=problems,
        )
    return cleaned


@transaction.atomic
def round_score(
    *,
    actor: Any,
    evaluation_round: EvaluationRound,
    candidate: RoundCandidate,
    scores: Sequence[ScoreInput],
) -> list[Score]:
    """Save a reviewer's scores for one candidate (all checked first, then written)."""
    reviewer = _reviewer_for(actor, evaluation_round)
    _check_open(evaluation_round)
    if reviewer.submitted_at is not None:
        raise _error(
            EvaluationError.ALREADY_SUBMITTED,
            _("Bạn đã nộp phiếu chấm; điểm không thể sửa nữa."),
        )
    if candidate.round_id != evaluation_round.pk:
        raise _error(EvaluationError.BAD_CANDIDATE, _("Mô hình này không có trong đợt đánh giá."))
    criteria = {c.pk: c for c in selectors.round_criteria(evaluation_round)}
    cleaned = _check_scores(criteria, scores)
    existing = {
        s.criterion_id: s for s in Score.objects.filter(reviewer=reviewer, candidate=candidate)
    }
    for criterion, points, comment in cleaned:
        row = existing.get(criterion.pk)
        if points is None:
            if row is not None:
                audit.record_delete(actor=actor, instance=row)
                row.delete()
                del existing[criterion.pk]
            continue
        if row is None:
            row = Score.objects.create(
                reviewer=reviewer,
                candidate=candidate,
                criterion=criterion,
                points=points,
                comment=comment,
            )
            audit.record_create(actor=actor, instance=row)
            existing[criterion.pk] = row
        elif row.points != points or row.comment != comment:
            before = audit.snapshot(row)
            row.points, row.comment = points, comment
            row.save(update_fields=["points", "comment", "updated_at"])
            audit.record_update(actor=actor, instance=row, before=before)
    return sorted(existing.values(), key=lambda s: (criteria[s.criterion_id].order, s.pk))


@transaction.atomic
def round_submit(*, actor: Any, evaluation_round: EvaluationRound) -> RoundReviewer:
    """Submit the actor's scores: every candidate on every criterion, then final."""
    reviewer = _reviewer_for(actor, evaluation_round)
    _check_open(evaluation_round)
    if reviewer.submitted_at is not None:
        raise _error(EvaluationError.ALREADY_SUBMITTED, _("Bạn đã nộp phiếu chấm rồi."))
    expected = (
        RoundCandidate.objects.filter(round=evaluation_round).count()
        * Criterion.objects.filter(criteria_set_id=evaluation_round.criteria_set_id).count()
    )
    given = Score.objects.filter(reviewer=reviewer).count()
    if given < expected:
        raise _error(
            EvaluationError.INCOMPLETE,
            _("Còn %(missing)s/%(expected)s ô điểm chưa chấm; hãy chấm đủ trước khi nộp.")
            % {"missing": expected - given, "expected": expected},
        )
    before = audit.snapshot(reviewer)
    reviewer.submitted_at = timezone.now()
    reviewer.save(update_fields=["submitted_at"])
    audit.record_update(actor=actor, instance=reviewer, before=before)
    return reviewer


# -- confirming ----------------------------------------------------------------------

# The entry transitions each outcome performs, in order (movement/workflow.py).
OUTCOME_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Outcome.RECOGNIZED: ("recognize",),
    Outcome.EXEMPLARY: ("recognize", "make_exemplary"),
    Outcome.NOT_RECOGNIZED: ("reject",),
}


def _percent_text(value: Decimal | None) -> str:
    return number_text(value) if value is not None else "—"


@transaction.atomic
def round_confirm(
    *,
    actor: Any,
    evaluation_round: EvaluationRound,
    decision: movement.DecisionInput | None,
    outcomes: Mapping[int, str] | None = None,
    override: bool = False,
) -> EvaluationRound:
    """Confirm the results and perform every candidate's transitions, all or nothing.

    *outcomes* maps candidate ids to the administrator's adjusted outcome; the others
    take the proposal of the marks. *override* confirms before every reviewer has
    submitted (the mean then counts those who did).

    Who performs the transitions: the round's authority is EVALUATION_ADMIN on its
    level, checked here. entry_transition's own rule for recognize/reject is the
    managing body's (MOVEMENT_MANAGE through a grant strictly above the entry's unit),
    which an administrator of the level holds for entries of the units below it but
    not for an entry of the level unit itself. So each transition runs as the
    administrator where that rule holds (the entry's history then names them) and as
    the system (actor=None) where it does not; either way the event's reason names
    the round, and the round's audit row records the administrator and every outcome.
    """
    access = selectors.round_access(actor, evaluation_round) if actor is not None else None
    if access is not None and not access.is_admin:
        raise PermissionDenied(_("Chỉ quản trị của cấp tổ chức mới xác nhận kết quả."))
    evaluation_round = (
        EvaluationRound.objects.select_for_update(of=("self",))
        .select_related("level_unit__parent", "criteria_set", "period")
        .get(pk=evaluation_round.pk)
    )
    if evaluation_round.state == EvaluationRound.State.CONFIRMED:
        raise _error(
            EvaluationError.ROUND_CLOSED, _("Kết quả đợt đánh giá này đã được xác nhận rồi.")
        )
    _check_open(evaluation_round)
    results = selectors.round_results(evaluation_round)
    if results.submitted_count == 0:
        raise _error(
            EvaluationError.NOT_ALL_SUBMITTED,
            _("Chưa có thành viên nào nộp phiếu chấm; chưa thể xác nhận kết quả."),
        )
    if not results.all_submitted and not override:
        raise _error(
            EvaluationError.NOT_ALL_SUBMITTED,
            _(
                "Mới có %(done)s/%(total)s thành viên nộp phiếu chấm. Chờ đủ phiếu, hoặc chọn"
                " “xác nhận khi chưa đủ phiếu”."
            )
            % {"done": results.submitted_count, "total": len(results.reviewers)},
            field="override",
        )
    decided = _decided_outcomes(results, outcomes or {})
    needs_decision = any(o != Outcome.NOT_RECOGNIZED for o in decided.values())
    if needs_decision:
        decision = _checked_decision(decision, evaluation_round)
    before = audit.snapshot(evaluation_round)
    for row in results.rows:
        _perform(
            actor=actor,
            evaluation_round=evaluation_round,
            row=row,
            outcome=decided[row.candidate.pk],
            decision=decision if needs_decision else None,
        )
    now = timezone.now()
    candidates = []
    for row in results.rows:
        row.candidate.outcome = decided[row.candidate.pk]
        row.candidate.percent = row.mean
        candidates.append(row.candidate)
    RoundCandidate.objects.bulk_update(candidates, ["outcome", "percent"])
    evaluation_round.state = EvaluationRound.State.CONFIRMED
    evaluation_round.confirmed_at = now
    evaluation_round.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    evaluation_round.confirmed_early = not results.all_submitted
    if needs_decision and decision is not None:
        evaluation_round.decision_number = decision.number.strip()
        evaluation_round.decision_issued_on = decision.issued_on
    evaluation_round.save()
    changes = audit.diff(before, audit.snapshot(evaluation_round))
    changes["outcomes"] = [
        {str(r.entry.public_id): r.proposal for r in results.rows},
        {str(r.entry.public_id): decided[r.candidate.pk] for r in results.rows},
    ]
    audit.record(
        actor=actor, action=AuditEvent.Action.UPDATE, instance=evaluation_round, changes=changes
    )
    return evaluation_round


@transaction.atomic
def round_cancel(*, actor: Any, evaluation_round: EvaluationRound, reason: str) -> EvaluationRound:
    """Cancel an open round (opened by mistake: wrong candidates, criteria or level).

    Only the round's administrators; a confirmed round is final (its decision was issued
    and the entries moved), so it cannot be cancelled. Nothing about the entries
    changes: no transition was made while the round was open, and its candidates may
    enter another round. The scores stay, read-only, with the reason on the round.
    """
    access = selectors.round_access(actor, evaluation_round) if actor is not None else None
    if access is not None and not access.is_admin:
        raise PermissionDenied(_("Chỉ quản trị của cấp tổ chức mới hủy đợt đánh giá."))
    reason = (reason or "").strip()
    if not reason:
        raise _error(EvaluationError.BAD_VALUE, _("Nhập lý do hủy đợt đánh giá."), field="reason")
    evaluation_round = EvaluationRound.objects.select_for_update().get(pk=evaluation_round.pk)
    _check_open(evaluation_round)
    before = audit.snapshot(evaluation_round)
    evaluation_round.state = EvaluationRound.State.CANCELLED
    evaluation_round.cancelled_at = timezone.now()
    evaluation_round.cancelled_by = actor if getattr(actor, "is_authenticated", False) else None
    evaluation_round.cancel_reason = reason
    evaluation_round.save()
    audit.record_update(actor=actor, instance=evaluation_round, before=before)
    return evaluation_round


def _decided_outcomes(
    results: selectors.RoundResults, outcomes: Mapping[int, str]
) -> dict[int, str]:
    by_candidate = {row.candidate.pk: row for row in results.rows}
    unknown = [pk for pk in outcomes if pk not in by_candidate]
    if unknown:
        raise _error(
            EvaluationError.BAD_OUTCOME,
            _("Có mô hình không thuộc đợt đánh giá này."),
            field="outcomes",
        )
    decided: dict[int, str] = {}
    for pk, row in by_candidate.items():
        outcome = outcomes.get(pk) or row.proposal
        if outcome is None:
            raise _error(
                EvaluationError.BAD_OUTCOME,
                _("Mô hình “%(name)s” chưa có điểm: hãy chọn kết quả cho mô hình này.")
                % {"name": row.entry.name},
                field="outcomes",
            )
        if outcome not in Outcome.values:
            raise _error(
                EvaluationError.BAD_OUTCOME,
                _("Kết quả “%(value)s” không có; chọn một trong: %(choices)s.")
                % {"value": outcome, "choices": ", ".join(str(x) for x in Outcome.labels)},
                field="outcomes",
            )
        decided[pk] = outcome
    return decided


def _checked_decision(
    decision: movement.DecisionInput | None, evaluation_round: EvaluationRound
) -> movement.DecisionInput:
    """The decision, its number checked before any entry changes, at the round's level."""
    if decision is None or not (decision.number or "").strip():
        raise _error(
            EvaluationError.DECISION_REQUIRED,
            _("Nhập số, ngày và cơ quan ban hành quyết định công nhận."),
            field="number",
        )
    try:
        docnumber.parse(decision.number)
    except docnumber.DocumentNumberError as exc:
        raise _error(EvaluationError.BAD_DECISION_NUMBER, str(exc), field="number") from exc
    return replace(decision, level=decision.level or round_level(evaluation_round.level_unit))


def _perform(
    *,
    actor: Any,
    evaluation_round: EvaluationRound,
    row: selectors.CandidateResult,
    outcome: str,
    decision: movement.DecisionInput | None,
) -> None:
    entry = row.entry
    # See round_confirm: the administrator acts where the managing body's rule holds.
    who = (
        actor
        if actor is not None and policies.has_perm_above(actor, Perm.MOVEMENT_MANAGE, entry.unit)
        else None
    )
    labels = {"round": evaluation_round.name, "percent": _percent_text(row.mean)}
    if outcome == Outcome.NOT_RECOGNIZED:
        if row.proposal == Outcome.NOT_RECOGNIZED:
            reason = _("Không đạt điểm (%(percent)s%%) đợt “%(round)s”.") % labels
        else:
            reason = (
                _("Không công nhận theo kết luận xác nhận đợt “%(round)s” (điểm %(percent)s%%).")
                % labels
            )
    else:
        reason = _("Kết quả đợt đánh giá “%(round)s” (điểm %(percent)s%%).") % labels
    for name in OUTCOME_TRANSITIONS[outcome]:
        try:
            entry = movement.entry_transition(
                actor=who,
                entry=entry,
                name=name,
                reason=reason,
                decision=decision if name != "reject" else None,
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            raise DomainError(
                exc.code,
                _("Mô hình “%(name)s”: %(message)s") % {"name": entry.name, "message": exc.message},
                field=exc.field,
            ) from exc
