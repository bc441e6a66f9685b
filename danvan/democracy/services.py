"""Every write of citizens' decisions: matters, votes, one-time codes, ballots, tallies."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import Checks, DomainError
from danvan.core.pagecache import place_changed
from danvan.core.validators import future_date_message, one_of
from danvan.units.models import Unit, UnitKind

from . import rules
from .errors import DemocracyError
from .models import HouseholdBallot, Matter, MatterKind, Method, Outcome, Vote, VoteCode

# Codes read out or printed for households: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 10  # 31^10 ≈ 8 × 10^14: forging one is not practical
_SHORT_LENGTH = 6  # a vote's short address (Vote.short_code)


def _error(code: DemocracyError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def today() -> dt.date:
    return timezone.localdate()


def _hash(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def matter_checks(data: dict[str, Any]) -> None:
    """The rules on a matter, for the keys present in *data* (matter_raise's keyword
    names); one DomainError lists every problem. MatterForm runs it too (one pass)."""
    checks = Checks()
    unit, kind, raised_on = data.get("unit"), data.get("kind"), data.get("raised_on")
    if unit is not None and (unit.kind != UnitKind.VILLAGE or unit.is_historical):
        checks.refuse(
            DemocracyError.BAD_UNIT,
            _("Việc dân quyết định được đưa ra ở thôn, tổ dân phố đang hoạt động."),
            field="unit",
        )
    if "kind" in data and kind not in MatterKind.values:
        checks.refuse(
            DemocracyError.EMPTY,
            one_of(_("Loại việc"), MatterKind.labels),
            field="kind",
        )
    if "title" in data and not (data["title"] or "").strip():
        checks.refuse(DemocracyError.EMPTY, _("Cần ghi nội dung cần quyết định."), field="title")
    if raised_on is not None and raised_on > today():
        checks.refuse(
            DemocracyError.BAD_DATE, future_date_message(raised_on, today()), field="raised_on"
        )
    checks.raise_if_any()


@transaction.atomic
def matter_raise(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    title: str,
    raised_on: dt.date,
    description: str = "",
) -> Matter:
    """Put a matter to the households of a village (thôn, tổ dân phố)."""
    if actor is not None:
        policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    matter_checks({"unit": unit, "kind": kind, "title": title, "raised_on": raised_on})
    matter = Matter.objects.create(
        unit=unit,
        kind=kind,
        title=title.strip()[:300],
        description=description.strip(),
        raised_on=raised_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_create(actor=actor, instance=matter)
    return matter


def vote_checks(data: dict[str, Any], *, matter: Matter) -> None:
    """The rules on opening a vote on *matter*, for the keys present in *data*
    (vote_open's keyword names); one DomainError lists every problem. VoteOpenForm runs
    it too (one pass)."""
    checks = Checks()
    method, opened_on = data.get("method"), data.get("opened_on")
    closes_on, follows = data.get("closes_on"), data.get("follows")
    if "method" in data and method not in Method.values:
        checks.refuse(
            DemocracyError.BAD_METHOD,
            one_of(_("Hình thức biểu quyết"), Method.labels),
            field="method",
        )
    if opened_on is not None and opened_on < matter.raised_on:
        checks.refuse(
            DemocracyError.BAD_DATE,
            _("Ngày biểu quyết (%(d)s) không được trước ngày đưa ra việc (%(r)s).")
            % {"d": f"{opened_on:%d/%m/%Y}", "r": f"{matter.raised_on:%d/%m/%Y}"},
            field="opened_on",
        )
    if closes_on is not None and opened_on is not None and closes_on < opened_on:
        checks.refuse(
            DemocracyError.BAD_DATE,
            _("Ngày kết thúc phải từ ngày bắt đầu (%(d)s) trở đi.")
            % {"d": f"{opened_on:%d/%m/%Y}"},
            field="closes_on",
        )
    if method == Method.ONLINE and "closes_on" in data and closes_on is None:
        checks.refuse(
            DemocracyError.BAD_DATE,
            _("Biểu quyết trực tuyến cần ngày kết thúc."),
            field="closes_on",
        )
    if (matter.unit.households or 0) <= 0:
        checks.refuse(
            DemocracyError.NO_HOUSEHOLDS,
            _("Chưa có số hộ gia đình của %(unit)s: cập nhật số hộ trước khi biểu quyết.")
            % {"unit": matter.unit.name},
            field="method",
        )
    if follows is not None and (follows.matter_id != matter.pk or follows.is_open):
        checks.refuse(
            DemocracyError.BAD_METHOD,
            _("Chỉ tổ chức lại sau một lần biểu quyết đã kết thúc của cùng việc này."),
            field="follows",
        )
    checks.raise_if_any()


@transaction.atomic
def vote_open(
    *,
    actor: Any,
    matter: Matter,
    method: str,
    opened_on: dt.date,
    closes_on: dt.date | None = None,
    follows: Vote | None = None,
    place: str = "",
    chair: str = "",
    secretary: str = "",
) -> Vote:
    """Open a meeting, a household ballot or an online vote on *matter*. The village's
    household count is taken now and kept with the vote (domain.md §3)."""
    unit = matter.unit
    if actor is not None:
        policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    vote_checks(
        {"method": method, "opened_on": opened_on, "closes_on": closes_on, "follows": follows},
        matter=matter,
    )
    households = unit.households or 0
    vote = Vote.objects.create(
        matter=matter,
        method=method,
        households_total=households,
        opened_on=opened_on,
        closes_on=closes_on,
        follows=follows,
        place=place.strip()[:200],
        chair=chair.strip()[:200],
        secretary=secretary.strip()[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_create(actor=actor, instance=vote)
    place_changed(unit)
    return vote


def _check_open(vote: Vote, on: dt.date) -> None:
    if not vote.is_open or (vote.closes_on is not None and on > vote.closes_on):
        raise _error(DemocracyError.CLOSED, _("Cuộc biểu quyết này đã kết thúc."), "code")
    if on < vote.opened_on:
        raise _error(
            DemocracyError.CLOSED,
            _("Cuộc biểu quyết bắt đầu từ ngày %(d)s.") % {"d": f"{vote.opened_on:%d/%m/%Y}"},
            "code",
        )


def _new_short_code() -> str:
    """An unused short code of a vote: 6 characters of the slips' alphabet (31^6 ≈ 8.9 ×
    10^8), easy to type from paper; not a secret, since it only names the vote."""
    while True:
        short = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_SHORT_LENGTH))
        if not Vote.objects.filter(short_code=short).exists():
            return short


@transaction.atomic
def vote_issue_codes(*, actor: Any, vote: Vote, households: Sequence[str]) -> list[tuple[str, str]]:
    """One-time codes for *households* of an online vote: [(household, code)], shown once
    to be printed and handed out by the village; only their hashes are kept."""
    vote = Vote.objects.select_for_update().select_related("matter__unit").get(pk=vote.pk)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, vote.matter.unit)
    if vote.method != Method.ONLINE or not vote.is_open:
        raise _error(
            DemocracyError.BAD_METHOD,
            _("Chỉ phát mã cho cuộc biểu quyết trực tuyến đang mở."),
            "households",
        )
    names = [h.strip() for h in households if h.strip()]
    issued = vote.codes.count()
    if not names or len(set(names)) != len(names):
        raise _error(
            DemocracyError.EMPTY, _("Cần danh sách số hộ, không trùng nhau."), "households"
        )
    if issued + len(names) > vote.households_total:
        raise _error(
            DemocracyError.BAD_TALLY,
            _("Số mã (%(n)s) vượt tổng số hộ gia đình (%(total)s).")
            % {"n": issued + len(names), "total": vote.households_total},
            "households",
        )
    if vote.codes.filter(household__in=names).exists():
        raise _error(DemocracyError.EMPTY, _("Có hộ đã được phát mã."), "households")
    if not vote.short_code:
        # The short address printed on the slips (/cong-dan/bq/<short_code>/) names the
        # vote only; the vote row is locked, and the unique index guards the rest.
        vote.short_code = _new_short_code()
        vote.save(update_fields=["short_code", "updated_at"])
    out: list[tuple[str, str]] = []
    rows = []
    for name in names:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
        code = f"{raw[:5]}-{raw[5:]}"
        out.append((name, code))
        rows.append(VoteCode(vote=vote, household=name, code_hash=_hash(code)))
    VoteCode.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="create",
        instance=vote,
        changes={"codes_issued": [issued, issued + len(names)]},
    )
    return out


@transaction.atomic
def vote_cast_online(*, vote: Vote, code: str, choice: str) -> HouseholdBallot:
    """A household's representative votes with its one-time code (from the portal)."""
    if choice not in HouseholdBallot.Choice.values:
        raise _error(DemocracyError.EMPTY, _("Chọn Đồng ý hoặc Không đồng ý."), "choice")
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.method != Method.ONLINE:
        raise _error(DemocracyError.BAD_METHOD, _("Cuộc biểu quyết này không trực tuyến."))
    _check_open(vote, today())
    row = VoteCode.objects.select_for_update().filter(vote=vote, code_hash=_hash(code)).first()
    if row is None:
        raise _error(
            DemocracyError.BAD_CODE,
            _("Mã biểu quyết không đúng. Kiểm tra lại mã trên phiếu thôn phát."),
            "code",
        )
    if row.used_at is not None:
        raise _error(DemocracyError.USED_CODE, _("Mã này đã được dùng để biểu quyết."), "code")
    try:
        with transaction.atomic():
            ballot = HouseholdBallot.objects.create(
                vote=vote, household=row.household, choice=choice
            )
    except IntegrityError as exc:
        raise _error(
            DemocracyError.ALREADY_VOTED, _("Hộ gia đình này đã biểu quyết."), "code"
        ) from exc
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return ballot


@transaction.atomic
def vote_record_tally(*, actor: Any, vote: Vote, present: int, agree: int, disagree: int) -> Vote:
    """The count of a meeting or of returned paper ballots (the minutes' numbers)."""
    vote = Vote.objects.select_for_update().select_related("matter__unit").get(pk=vote.pk)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, vote.matter.unit)
    if vote.method == Method.ONLINE:
        raise _error(
            DemocracyError.BAD_METHOD,
            _("Kết quả biểu quyết trực tuyến được đếm tự động."),
            "present",
        )
    if not vote.is_open:
        raise _error(DemocracyError.CLOSED, _("Cuộc biểu quyết này đã kết thúc."), "present")
    if min(present, agree, disagree) < 0:
        raise _error(DemocracyError.BAD_TALLY, _("Số hộ không được âm."), "present")
    if present > vote.households_total:
        raise _error(
            DemocracyError.BAD_TALLY,
            _("Số hộ tham gia (%(p)s) nhiều hơn tổng số hộ gia đình (%(t)s).")
            % {"p": present, "t": vote.households_total},
            "present",
        )
    if agree + disagree > present:
        raise _error(
            DemocracyError.BAD_TALLY,
            _("Số phiếu đồng ý và không đồng ý (%(v)s) nhiều hơn số hộ tham gia (%(p)s).")
            % {"v": agree + disagree, "p": present},
            "agree",
        )
    before = audit.snapshot(vote)
    vote.households_present, vote.agree, vote.disagree = present, agree, disagree
    vote.save(update_fields=["households_present", "agree", "disagree", "updated_at"])
    audit.record_update(actor=actor, instance=vote, before=before)
    return vote


def live_tally(vote: Vote) -> tuple[int, int, int]:
    """(households that voted, agree, disagree) of an online vote, counted now."""
    agree = vote.ballots.filter(choice=HouseholdBallot.Choice.AGREE).count()
    disagree = vote.ballots.filter(choice=HouseholdBallot.Choice.DISAGREE).count()
    return agree + disagree, agree, disagree


@transaction.atomic
def vote_close(*, actor: Any, vote: Vote) -> Vote:
    """Close the vote and decide its outcome by the >50%-of-all-households rules."""
    vote = Vote.objects.select_for_update().select_related("matter__unit").get(pk=vote.pk)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, vote.matter.unit)
    if not vote.is_open:
        raise _error(DemocracyError.CLOSED, _("Cuộc biểu quyết này đã kết thúc."))
    before = audit.snapshot(vote)
    if vote.method == Method.ONLINE:
        vote.households_present, vote.agree, vote.disagree = live_tally(vote)
    vote.outcome = rules.outcome(
        total=vote.households_total, present=vote.households_present, agree=vote.agree
    )
    vote.closed_at = timezone.now()
    vote.save()
    audit.record_update(actor=actor, instance=vote, before=before)
    place_changed(vote.matter.unit)
    return vote


@transaction.atomic
def vote_publish(*, actor: Any, vote: Vote) -> Vote:
    """Publish a closed vote's result on the portal (Law 10/2022/QH15, art. 11)."""
    vote = Vote.objects.select_for_update().select_related("matter__unit").get(pk=vote.pk)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, vote.matter.unit)
    if vote.is_open or vote.outcome == Outcome.PENDING:
        raise _error(
            DemocracyError.NOT_CLOSED, _("Chỉ công khai kết quả sau khi kết thúc biểu quyết.")
        )
    before = audit.snapshot(vote)
    vote.published_at = vote.published_at or timezone.now()
    vote.save(update_fields=["published_at", "updated_at"])
    audit.record_update(actor=actor, instance=vote, before=before)
    return vote
