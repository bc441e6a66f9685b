"""Tasks proposed from a conclusion (issue 12, items 3 and 4): the clerk's pages.

1. ``start`` (``?source=<kind>&id=<public_id>``, or ``?unit=<code>`` for text with no
   source record): the text of the conclusion, pasted or read from its .docx.
2. Posting it runs ``propose`` and shows the review page: one card per proposal, the
   sentence highlighted in its paragraph, the units resolved, the due date computed.
   Nothing is written.
3. ``confirm`` creates the kept proposals' tasks in one transaction, all or none.

The proposals and the text travel through the review form as one signed hidden value
(``django.core.signing``): a tampered or foreign one is refused with 400. What the clerk
chose is re-checked, never trusted: each unit must be one the actor may manage and lie
in the source unit's subtree (else refused as if missing).

Collective leads ("UBND các xã"): the Government's tracking of assigned tasks gives each
unit its own task (decision 42/2014/QĐ-TTg counts tasks by lead body), so a collective
expands on confirmation to one task per unit it stands for, and so do several lead units
named together. The card says so. A collective among the coordinating units ("phối hợp
với UBND các xã") expands on confirmation too: each of its units coordinates every task
of the card, never the task's own lead unit; when both the lead and the coordinating
units are named per commune ("UBND các xã chủ trì, phối hợp với Ủy ban MTTQ các xã"),
each commune's task has its own commune's units, not those of every commune.

Relative due dates ("trong 30 ngày kể từ ngày ký", "trong 15 ngày làm việc") count from
the source's own date, not the day the clerk proposes: the conference's date (the
conclusion notice's date when the text counts from its signing), the document's issue
date, the inspection's conclusion, the plan's document or start (``source_days``). Only
text with no source record counts from today, and the card says which day it used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.http import domain_http
from danvan.directives.tasks import services as task_services
from danvan.directives.tasks.models import Plan, SourceKind
from danvan.directives.tasks.selectors import today
from danvan.directives.tasks.sources import ProposedTask, SourceRef, resolve_source
from danvan.units.models import Unit
from danvan.units.pages import required_unit, with_unit

from .extract import Due, DueKind, Proposal, normalized_text, propose, shadow
from .forms import FIELD_OF, KEEP, CardForm, StartForm
from .resolve import UnitIndex, resolver_for

SALT = "danvan.directives.proposals.review"
# A review page left open longer than this is proposed again (the tree may have changed).
MAX_AGE = dt.timedelta(days=2)
PAYLOAD = "payload"


# --- the source --------------------------------------------------------------------------


def _source(request: HttpRequest, params: Any) -> SourceRef:
    """The source the page is about (NotFound if out of sight); the actor must manage
    directive tasks at its unit (else 403, like the other task pages)."""
    actor = request.user
    kind = (params.get("source") or "").strip()
    if kind:
        source = resolve_source(kind, actor, (params.get("id") or "").strip())
    else:
        unit = required_unit(request)
        source = SourceRef(
            kind=SourceKind.OTHER,
            obj=unit,
            unit=unit,
            label=unit.name,
            url=with_unit("directive_tasks:list_assigned", unit),
            text="",
        )
    policies.require(actor, Perm.DIRECTIVE_MANAGE, source.unit)
    return source


def _query(source: SourceRef) -> str:
    if source.kind == SourceKind.OTHER:
        return f"?unit={source.unit.code}"
    public_id = getattr(source.obj, "public_id", source.obj.pk)
    return "?" + urlencode({"source": source.kind, "id": str(public_id)})


def _done_url(source: SourceRef) -> str:
    return source.url


# --- the signed payload ------------------------------------------------------------------


def _sign(actor: Any, source: SourceRef, text: str, on: dt.date, proposals: list[Proposal]) -> str:
    return signing.dumps(
        {
            "user": actor.pk,
            "query": _query(source),
            "on": on.isoformat(),
            "text": text,
            "proposals": [p.to_initial() for p in proposals],
        },
        salt=SALT,
        compress=True,
    )


class Refused(Exception):
    """The posted payload cannot be trusted (tampered, expired, another user's or page's)."""


def _unsign(request: HttpRequest, source: SourceRef) -> dict[str, Any]:
    try:
        data = signing.loads(request.POST.get(PAYLOAD, ""), salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise Refused(
            _("Trang đề xuất đã mở quá lâu; hãy đề xuất lại từ nội dung kết luận.")
        ) from None
    except signing.BadSignature:
        raise Refused(
            _("Dữ liệu đề xuất gửi lên không hợp lệ (đã bị thay đổi); hãy đề xuất lại.")
        ) from None
    if data.get("user") != request.user.pk or data.get("query") != _query(source):
        raise Refused(_("Dữ liệu đề xuất không thuộc trang này; hãy đề xuất lại."))
    return data


# --- the cards ---------------------------------------------------------------------------


@dataclass
class Card:
    """One proposal on the review page."""

    number: int
    proposal: Proposal
    form: CardForm
    before: str  # the paragraph around the sentence
    after: str
    due_note: str = ""
    notes: list[str] = field(default_factory=list)
    collective_units: list[int] = field(default_factory=list)
    coordinating_collective: list[int] = field(default_factory=list)
    # The commune each collective unit lies in (leads' and coordinating units'), for pairing.
    communes: dict[int, int | None] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"p{self.number}"


def _collective_units(
    proposal: Proposal, resolver: UnitIndex, root: Unit
) -> tuple[list[int], str, str]:
    """The units the proposal's collective leads stand for (ids), how the card says it
    ("3 xã của Tỉnh …, mỗi xã một nhiệm vụ") and their names."""
    ids: list[int] = []
    names: list[str] = []
    phrases = []
    communes = True
    for ref in proposal.leads:
        if ref.collective is None:
            continue
        phrases.append(ref.phrase)
        communes = communes and ref.collective.over == "commune"
        for match in resolver.expand(ref.collective):
            if match.id not in ids:
                ids.append(match.id)
                names.append(match.name)
    if not phrases:
        return [], "", ""
    words = {"phrase": "; ".join(phrases), "n": len(ids), "unit": root.name}
    if communes:
        label = _("“%(phrase)s”: %(n)s xã của %(unit)s — giao cho từng xã, mỗi xã một nhiệm vụ")
    else:
        label = _(
            "“%(phrase)s”: %(n)s đơn vị của %(unit)s — giao cho từng đơn vị, mỗi đơn vị một"
            " nhiệm vụ"
        )
    return ids, label % words, "; ".join(names)


def _coordinating_collective(proposal: Proposal, resolver: UnitIndex) -> tuple[list[int], str, str]:
    """The units the proposal's collective coordinating units stand for (ids), how the card
    says it ("Phối hợp: “UBND các xã” (12 đơn vị)") and their names."""
    ids: list[int] = []
    names: list[str] = []
    phrases = []
    for ref in proposal.coordinating:
        if ref.collective is None:
            continue
        phrases.append(ref.phrase.strip())
        for match in resolver.expand(ref.collective):
            if match.id not in ids:
                ids.append(match.id)
                names.append(match.name)
    if not phrases:
        return [], "", ""
    label = _(
        "Phối hợp: “%(phrase)s” (%(n)s đơn vị) — mỗi đơn vị là đơn vị phối hợp (trừ chính"
        " đơn vị chủ trì)"
    ) % {"phrase": "; ".join(phrases), "n": len(ids)}
    return ids, label, "; ".join(names)


@dataclass(frozen=True)
class SourceDay:
    """A day of the source a relative due date may count from, and how the card names it."""

    day: dt.date
    label: str


@dataclass(frozen=True)
class SourceDays:
    """The source's day (*main*) and, for a conference, its conclusion notice's (*signed*)."""

    main: SourceDay
    signed: SourceDay | None = None

    def start_of(self, due: Due) -> SourceDay:
        """The day *due* counts from: the notice's signing when the text says so ("kể từ
        ngày ký", "… ban hành", "… thông báo") and the notice has a date, else the main."""
        event = shadow(due.event or due.phrase)
        if self.signed is not None and any(w in event for w in _SIGNED_WORDS):
            return self.signed
        return self.main


# Words of an event that is the signing or issuing of the conclusion itself (folded).
_SIGNED_WORDS = ("ngay ky", "ban hanh", "thong bao")


def source_days(source: SourceRef, today_: dt.date) -> SourceDays:
    """The dates a relative due date of *source*'s text counts from (issue 12: "N working
    days from" an event of the source, on the working-day calendar). Text with no source
    record counts from *today_*, which the card says, for the clerk to correct."""
    obj: Any = source.obj
    if source.kind == SourceKind.CONFERENCE:
        signed = (
            SourceDay(obj.notice_on, _("ngày ký thông báo kết luận"))
            if getattr(obj, "notice_on", None)
            else None
        )
        return SourceDays(SourceDay(obj.held_on, _("ngày hội nghị")), signed)
    if source.kind == SourceKind.DOCUMENT:
        return SourceDays(SourceDay(obj.issued_on, _("ngày ban hành văn bản")))
    if source.kind == SourceKind.INSPECTION:
        if getattr(obj, "concluded_on", None):
            return SourceDays(SourceDay(obj.concluded_on, _("ngày kết luận kiểm tra, giám sát")))
        return SourceDays(SourceDay(obj.ends_on, _("ngày kết thúc kiểm tra, giám sát")))
    if source.kind == SourceKind.PLAN:
        document = getattr(obj, "document", None)
        if document is not None:
            return SourceDays(SourceDay(document.issued_on, _("ngày ban hành văn bản")))
        return SourceDays(SourceDay(obj.starts_on, _("ngày bắt đầu kế hoạch")))
    return SourceDays(SourceDay(today_, _("hôm nay (ngày đề xuất)")))


def _initial(
    proposal: Proposal, units: dict[int, Unit], days: SourceDays
) -> tuple[dict[str, Any], str]:
    """The card's first values, and what the text said of the due date."""
    leads = [units[r.unit_id] for r in proposal.leads if r.unit_id in units and not r.collective]
    coordinating = [
        units[r.unit_id] for r in proposal.coordinating if r.unit_id in units and not r.collective
    ]
    initial: dict[str, Any] = {
        "keep": KEEP,
        "title": proposal.source.strip().rstrip(".;").strip()[:500],
        "leads": leads,
        "expand": True,
        "coordinating_units": [u for u in coordinating if u not in leads],
        "expand_coordinating": True,
        "deliverable": proposal.deliverable,
    }
    due, note = proposal.due, ""
    if due is None:
        note = _("Văn bản không ghi thời hạn: hãy ghi thời hạn.")
    elif due.kind == DueKind.DATE:
        initial["due_on"] = due.date
        note = _("Văn bản ghi: “%(phrase)s”.") % {"phrase": due.phrase}
    elif due.kind == DueKind.RELATIVE and due.working_days:
        start = days.start_of(due)
        initial.update(due_working_days=due.days, due_from_event=(due.event or due.phrase)[:200])
        initial["due_from_date"] = start.day
        computed = due.compute(start.day)
        note = _(
            "Văn bản ghi: “%(phrase)s”. Tính từ %(what)s %(on)s (theo ngày làm việc) thì hạn"
            " là %(due)s; sửa ngày của sự kiện nếu khác."
        ) % {
            "phrase": due.phrase,
            "what": start.label,
            "on": f"{start.day:%d/%m/%Y}",
            "due": f"{computed:%d/%m/%Y}",
        }
    elif due.kind == DueKind.RELATIVE:
        start = days.start_of(due)
        computed = due.compute(start.day)
        initial["due_on"] = computed
        note = _(
            "Văn bản ghi: “%(phrase)s”; tính từ %(what)s %(on)s thì hạn là %(due)s; sửa"
            " thời hạn nếu khác."
        ) % {
            "phrase": due.phrase,
            "what": start.label,
            "on": f"{start.day:%d/%m/%Y}",
            "due": f"{computed:%d/%m/%Y}" if computed else "",
        }
    else:
        note = _("Văn bản ghi “%(phrase)s” (thường xuyên): hãy ghi hạn báo cáo kết quả.") % {
            "phrase": due.phrase
        }
    return initial, note


def _notes(proposal: Proposal) -> list[str]:
    notes = list(proposal.notes)
    for ref in proposal.leads:
        if ref.resolved:
            continue
        if ref.candidates:
            notes.append(
                _("Chưa rõ “%(phrase)s” là đơn vị nào; có thể là: %(names)s.")
                % {"phrase": ref.phrase, "names": "; ".join(m.name for m in ref.candidates)}
            )
        else:
            notes.append(
                _("Không tìm thấy đơn vị “%(phrase)s” trong cây đơn vị; hãy chọn đơn vị chủ trì.")
                % {"phrase": ref.phrase}
            )
    for ref in proposal.coordinating:
        if not ref.resolved:  # a collective is shown with its units (expand_coordinating)
            notes.append(
                _("Phối hợp: “%(phrase)s” — chọn thêm đơn vị nếu cần.") % {"phrase": ref.phrase}
            )
    return notes


def _cards(
    *,
    request: HttpRequest,
    source: SourceRef,
    text: str,
    proposals: list[Proposal],
    resolver: UnitIndex,
    days: SourceDays,
    data: Any = None,
) -> list[Card]:
    """The cards, bound to *data* when posted. One query for the units of all proposals."""
    ids = {
        r.unit_id
        for p in proposals
        for r in (*p.leads, *p.coordinating)
        if r.unit_id is not None and r.collective is None
    }
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids).select_related("parent")}
    plan = source.obj if isinstance(source.obj, Plan) else None
    cards = []
    for number, proposal in enumerate(proposals, 1):
        collective_ids, collective_label, collective_names = _collective_units(
            proposal, resolver, source.unit
        )
        coordinating_ids, coordinating_label, coordinating_names = _coordinating_collective(
            proposal, resolver
        )
        initial, due_note = _initial(proposal, units, days)
        form = CardForm(
            data,
            prefix=f"p{number}",
            initial=initial,
            actor=request.user,
            root=source.unit,
            collective_label=collective_label,
            collective_help=collective_names,
            coordinating_label=coordinating_label,
            coordinating_help=coordinating_names,
            plan=plan,
        )
        cards.append(
            Card(
                number=number,
                proposal=proposal,
                form=form,
                before=text[proposal.paragraph_start : proposal.start],
                after=text[proposal.end : proposal.paragraph_end],
                due_note=due_note,
                notes=_notes(proposal),
                collective_units=collective_ids,
                coordinating_collective=coordinating_ids,
                communes={i: resolver.commune_of(i) for i in (*collective_ids, *coordinating_ids)},
            )
        )
    return cards


def _review(
    request: HttpRequest,
    *,
    source: SourceRef,
    cards: list[Card],
    payload: str,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "proposals/review.html",
        {
            "source": source,
            "cards": cards,
            "payload": payload,
            "errors": errors or [],
            "has_errors": bool(errors) or any(c.form.errors for c in cards),
            "action": reverse("proposals:confirm") + _query(source),
            "back_url": reverse("proposals:start") + _query(source),
        },
        status=status,
    )


# --- the pages ---------------------------------------------------------------------------


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The text to propose from; posted, the review page (nothing is written)."""
    source = _source(request, request.GET)
    form = StartForm(request.POST or None, request.FILES or None, initial={"text": source.text})
    if request.method == "POST" and form.is_valid():
        text = normalized_text(form.cleaned_data["text"])
        on = today()
        days = source_days(source, on)
        resolver = resolver_for(actor=request.user, root=source.unit, on=on)
        # A year left unwritten ("trước 31/12") is the first not past when the source was
        # written, as the labelled set reads it (evaluation.py: the conclusion's date).
        proposals = propose(text, today=days.main.day, resolver=resolver)
        if proposals:
            cards = _cards(
                request=request,
                source=source,
                text=text,
                proposals=proposals,
                resolver=resolver,
                days=days,
            )
            payload = _sign(request.user, source, text, on, proposals)
            return _review(request, source=source, cards=cards, payload=payload)
        form.add_error(
            "text",
            _(
                "Không tìm thấy câu giao nhiệm vụ nào (ví dụ: “Giao Sở Nội vụ chủ trì …”,"
                " “Đề nghị UBND các xã …”). Hãy kiểm tra nội dung, hoặc giao từng nhiệm vụ"
                " bằng tay."
            ),
        )
    return render(
        request,
        "proposals/start.html",
        {"form": form, "source": source, "cancel_url": source.url},
        status=400 if form.is_bound and form.errors else 200,
    )


def _items(cards: list[Card], proposals_units: dict[int, Unit]) -> list[ProposedTask]:
    """One task per lead unit of each kept card (the collective's units included)."""
    items = []
    for card in cards:
        data = card.form.cleaned_data
        if data.get("keep") != KEEP:
            continue
        leads = list(data.get("leads") or [])
        if data.get("expand"):
            leads += [proposals_units[i] for i in card.collective_units if i in proposals_units]
        chosen = list(data.get("coordinating_units") or [])
        expanded = []
        if data.get("expand_coordinating"):
            expanded = [
                proposals_units[i] for i in card.coordinating_collective if i in proposals_units
            ]
        seen: set[int] = set()
        for lead in leads:
            if lead.pk in seen:
                continue
            seen.add(lead.pk)
            p = card.proposal
            items.append(
                ProposedTask(
                    key=card.prefix,
                    lead_unit=lead,
                    title=data.get("title") or "",
                    deliverable=data.get("deliverable") or "",
                    coordinating_units=_coordinating_of(card, lead, chosen, expanded),
                    due_on=data.get("due_on"),
                    due_working_days=data.get("due_working_days"),
                    due_from_event=data.get("due_from_event") or "",
                    due_from_date=data.get("due_from_date"),
                    source_paragraph=p.source,
                    source_anchor=_("ký tự %(start)s–%(end)s") % {"start": p.start, "end": p.end},
                )
            )
    return items


def _coordinating_of(
    card: Card, lead: Unit, chosen: list[Unit], expanded: list[Unit]
) -> tuple[Unit, ...]:
    """The coordinating units of *lead*'s task: those the clerk chose, then the expanded
    collective's, never the lead itself, each once. A lead that is one commune's share of
    a collective lead coordinates with the collective's units of its own commune only."""
    own_commune = card.communes.get(lead.pk) if lead.pk in card.collective_units else None
    units: list[Unit] = []
    for unit in chosen:
        if unit.pk != lead.pk and unit not in units:
            units.append(unit)
    for unit in expanded:
        if own_commune is not None and card.communes.get(unit.pk) not in (None, own_commune):
            continue
        if unit.pk != lead.pk and unit not in units:
            units.append(unit)
    return tuple(units)


def _show_problems(cards: list[Card], error: DomainError) -> list[str]:
    """Put each problem of the service beside its card's field; those of no card are
    returned for the summary."""
    by_prefix = {c.prefix: c for c in cards}
    left = []
    for problem in error.problems:
        key, _sep, name = (problem.field or "").partition("-")
        card = by_prefix.get(key)
        if card is None:
            left.append(problem.message)
            continue
        name = FIELD_OF.get(name, name)
        target = name if name in card.form.fields else None
        if problem.message not in card.form.errors.get(target or "__all__", []):
            card.form.add_error(target, problem.message)
    return left


@login_required
@domain_http
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Create the kept proposals' tasks (all or none), then back to the source's page."""
    source = _source(request, request.GET)
    try:
        data = _unsign(request, source)
    except Refused as exc:
        return HttpResponseBadRequest(
            render_to_string("proposals/refused.html", {"message": str(exc)}, request=request)
        )
    text = data["text"]
    on = dt.date.fromisoformat(data["on"])
    proposals = [Proposal.from_initial(p) for p in data["proposals"]]
    # The tree as it is now (a unit may have ended since the page was shown).
    resolver = resolver_for(actor=request.user, root=source.unit, on=today())
    cards = _cards(
        request=request,
        source=source,
        text=text,
        proposals=proposals,
        resolver=resolver,
        days=source_days(source, on),
        data=request.POST,
    )
    payload = request.POST[PAYLOAD]
    valid = [card.form.is_valid() for card in cards]  # every card checked, in one pass
    if not all(valid):
        return _review(request, source=source, cards=cards, payload=payload, status=400)
    collective = {i for c in cards if c.form.cleaned_data.get("expand") for i in c.collective_units}
    collective |= {
        i
        for c in cards
        if c.form.cleaned_data.get("expand_coordinating")
        for i in c.coordinating_collective
    }
    units = {u.pk: u for u in Unit.objects.filter(pk__in=collective).select_related("parent")}
    items = _items(cards, units)
    try:
        tasks = task_services.tasks_create_from_proposals(
            actor=request.user, source=source, items=items
        )
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        errors = _show_problems(cards, exc)
        return _review(
            request, source=source, cards=cards, payload=payload, errors=errors, status=400
        )
    messages.success(
        request,
        ngettext("Đã tạo %(n)s nhiệm vụ.", "Đã tạo %(n)s nhiệm vụ.", len(tasks))
        % {"n": len(tasks)},
    )
    return redirect(_done_url(source))
