"""What the place search and the place pages read, without an actor.

Everything here is public by design: the unit tree, the names units had before 1 July 2025,
and for each place only what its units marked public (disclosures, consultations, votes,
reception schedules, dialogues, the movement's recognized entries) and counts of the
feedback citizens sent (never a name, a subject or a content: domain.md §5, §7 and §11).

A place page is a list of sections. Each section is a function ``(unit) -> Section | None``
in COMMUNE_SECTIONS or PROVINCE_SECTIONS: adding one (the news, the "was it resolved?"
rate) is one line there and one partial template.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from danvan.cases.dialogues.selectors import public_dialogues
from danvan.cases.models import Dialogue
from danvan.cases.reception.selectors import public_schedules
from danvan.cases.selectors import public_feedback, resolution_rate
from danvan.core.text import fold
from danvan.democracy.models import Matter
from danvan.disclosure.selectors import public_disclosures
from danvan.news.models import Article
from danvan.news.selectors import public_articles
from danvan.units.models import FormerName, FormerNameUnit, Official, Unit, UnitKind
from danvan.units.selectors import rows_under

from ..consultations.selectors import open_consultations
from ..gallery.selectors import Card, gallery_entries
from ..votes.selectors import open_q, public_votes

# --- the place search ------------------------------------------------------------------------

MAX_HITS = 30
MIN_QUERY = 2
MAX_QUERY = 100
PLACE_KINDS = (UnitKind.PROVINCE, UnitKind.COMMUNE)

# The words an official name starts with (folded), longest first so "thi xa" wins over
# "xa". A query may start with one, or with its abbreviation ("tp.", "tx", "p.").
KIND_WORDS = (
    "thanh pho",
    "dac khu",
    "thi tran",
    "thi xa",
    "phuong",
    "huyen",
    "quan",
    "tinh",
    "xa",
)
_ABBREVIATIONS = {
    "tp": "thanh pho",
    "tx": "thi xa",
    "tt": "thi tran",
    "q": "quan",
    "p": "phuong",
    "h": "huyen",
    "x": "xa",
}
# A kind word followed by a space, or an abbreviation followed by a dot or a space
# (single letters only with a dot: "p. Ba Dinh", never the "p" of "pac nam").
_LEADING_KIND = re.compile(
    r"^(?:(?P<word>" + "|".join(KIND_WORDS) + r")\s+"
    r"|(?P<abbr>tp|tx|tt)(?:\.\s*|\s+)"
    r"|(?P<letter>[qphx])\.\s*)"
)


@dataclass(frozen=True)
class PlaceQuery:
    """A search as typed, folded: the kind word it started with (if any) and the rest."""

    kind_word: str
    core: str

    @property
    def full(self) -> str:
        return f"{self.kind_word} {self.core}" if self.kind_word else self.core


def parse_query(text: str) -> PlaceQuery:
    """Fold *text* and split off a leading kind word ("Phường Đống Đa" -> phuong, dong da)."""
    folded = fold(text)
    if folded in KIND_WORDS or folded in _ABBREVIATIONS:  # only "xã": nothing to look for
        return PlaceQuery(kind_word=_ABBREVIATIONS.get(folded, folded), core="")
    match = _LEADING_KIND.match(folded)
    if match is None:
        return PlaceQuery(kind_word="", core=folded)
    word = match.group("word") or _ABBREVIATIONS[match.group("abbr") or match.group("letter")]
    return PlaceQuery(kind_word=word, core=folded[match.end() :].strip())


@dataclass(frozen=True)
class PlaceHit:
    """One search result: a current unit, or a former name and the units covering it now."""

    rank: int
    unit: Unit | None = None
    former: FormerName | None = None
    covering: tuple[Unit, ...] = ()

    @property
    def exact(self) -> bool:
        return self.rank == 0


def _rank(q: PlaceQuery) -> Case:
    """0: the name as typed (with its kind word, or any when none was typed); 1: the same
    name with another kind word; 2: starts with it; 3: contains it."""
    core = q.core
    with_words = [f"{w} {core}" for w in KIND_WORDS]
    exact = Q(name_folded=q.full) if q.kind_word else Q(name_folded__in=[core, *with_words])
    starts = Q(name_folded__startswith=core)
    for word in KIND_WORDS:
        starts |= Q(name_folded__startswith=f"{word} {core}")
    return Case(
        When(exact, then=Value(0)),
        When(Q(name_folded__in=[core, *with_words]), then=Value(1)),
        When(starts, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def search_places(text: str, *, limit: int = MAX_HITS) -> list[PlaceHit]:
    """Current provinces and communes named like *text*, then former names, at most *limit*.

    Diacritics and case do not matter; a leading kind word ranks the matching kind first.
    Three queries whatever the data: a LIKE on the indexed folded names of each table,
    ranked and bounded in the database, and the current units covering the former hits.
    """
    q = parse_query(text)
    if len(q.core) < MIN_QUERY:
        return []
    rank = _rank(q)
    units = list(
        Unit.objects.filter(
            kind__in=PLACE_KINDS, valid_to__isnull=True, name_folded__contains=q.core
        )
        .annotate(rank=rank)
        .select_related("parent")
        .order_by("rank", "kind", "name_folded", "code")[:limit]
    )
    hits = [PlaceHit(rank=u.rank, unit=u) for u in units]
    shown = {u.pk: u for u in units}
    # A few more than room is left for: some are dropped below as repeats.
    formers = list(
        FormerName.objects.filter(name_folded__contains=q.core)
        .annotate(rank=rank)
        .prefetch_related(
            Prefetch(
                "coverage",
                queryset=FormerNameUnit.objects.select_related("unit__parent").order_by("position"),
            )
        )
        .order_by("rank", "name_folded", "kind", "code")[: limit + 10]
    )
    for former in formers:
        covering = tuple(link.unit for link in former.coverage.all())
        # "Tỉnh Cao Bằng" before 2025 is the Cao Bằng of today, already listed.
        if any(u.pk in shown and u.name_folded == former.name_folded for u in covering):
            continue
        hits.append(PlaceHit(rank=former.rank, former=former, covering=covering))
    return hits[:limit]


def single_exact_unit(hits: list[PlaceHit]) -> Unit | None:
    """The current unit to go straight to: the only exact hit, and a current unit."""
    exact = [h for h in hits if h.exact]
    if len(exact) == 1 and exact[0].unit is not None:
        return exact[0].unit
    return None


# --- a place ---------------------------------------------------------------------------------


def place_unit(code: str) -> Unit | None:
    """The province or commune *code* names (in force or not), with its parent; None else.

    Other units (agencies, villages, Party bodies…) have no public page: their records
    appear on their province's or commune's page.
    """
    return Unit.objects.select_related("parent").filter(code=code, kind__in=PLACE_KINDS).first()


def communes_by_letter(province: Unit) -> list[tuple[str, list[Unit]]]:
    """The communes in force of *province* grouped by the first letter of their name
    without its kind word ("Phường Đống Đa" under "D"), alphabetically."""
    rows = Unit.objects.filter(kind=UnitKind.COMMUNE, parent=province, valid_to__isnull=True).only(
        "code", "name", "name_folded"
    )
    keyed = sorted(((_sort_name(u.name_folded), u) for u in rows), key=lambda r: (r[0], r[1].code))
    groups: dict[str, list[Unit]] = {}
    for key, unit in keyed:
        groups.setdefault((key[:1] or "#").upper(), []).append(unit)
    return list(groups.items())


def _sort_name(folded: str) -> str:
    q = parse_query(folded)
    return q.core if q.kind_word else folded


def former_names_of(unit: Unit) -> list[FormerName]:
    """The former communes (or provinces) that went, in whole or in part, into *unit*."""
    kind = FormerName.Kind.PROVINCE if unit.kind == UnitKind.PROVINCE else FormerName.Kind.COMMUNE
    # Read through the unit's own links (its index), sorted here: a handful of rows. Ordered
    # in SQL, PostgreSQL walked the whole name index of the 10,000 former names instead.
    links = (
        FormerNameUnit.objects.filter(unit=unit, former_name__kind=kind)
        .exclude(former_name__name_folded=unit.name_folded)
        .select_related("former_name")
        .order_by()[:100]
    )
    return sorted((link.former_name for link in links), key=lambda f: (f.name_folded, f.pk))


# --- the sections of a place page ------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One block of a place page, rendered by *template* with *items* and *data*."""

    key: str  # the block's id on the page (an anchor)
    title: str
    template: str
    items: list[Any] = field(default_factory=list)
    more_url: str | None = None  # the full list, filtered to the place
    data: dict[str, Any] = field(default_factory=dict)


SectionFn = Callable[[Unit], "Section | None"]
SUMMARY_SIZE = 5
# "The last 12 months": the 365 days up to today.
FEEDBACK_DAYS = 365


def safe_reverse(name: str, *args: Any, query: dict[str, str] | None = None) -> str | None:
    """The URL of *name*, or None while that page is not wired (a section then has no link)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def urls_for(name: str) -> Callable[[object], str | None]:
    """``safe_reverse(name, value)`` for the many rows of one page at the cost of one
    reverse: the URL is reversed for the first value, then each other value takes its
    place. For the portal's URLs whose one argument ends the path and is a UUID or a unit
    code, which reverse leaves as they are (no character of theirs is quoted). A province's
    page links to a hundred communes: a hundred reverses cost more than any of its queries.
    """
    pattern: tuple[str, str] | None = None

    def url(value: object) -> str | None:
        nonlocal pattern
        text = str(value)
        if pattern is not None:
            return f"{pattern[0]}{text}{pattern[1]}"
        found = safe_reverse(name, text)
        if found is not None and text in found:
            head, _, tail = found.rpartition(text)
            pattern = (head, tail)
        return found

    return url


def place_query(unit: Unit) -> dict[str, str]:
    """The ?province=&commune= filter of the portal's lists (portal.forms.PlaceFilterForm)."""
    if unit.kind == UnitKind.PROVINCE:
        return {"province": unit.code}
    return {"province": unit.parent.code if unit.parent else "", "commune": unit.code}


def _today() -> dt.date:
    return timezone.localdate()


def display(model: type[models.Model], field_name: str, value: Any) -> str:
    """The label of *value* in the choices of *model*.*field_name*, as get_FOO_display
    gives it for a row read with .values()."""
    choices = dict(getattr(model._meta.get_field(field_name), "flatchoices", ()))
    return str(choices.get(value, value))


def disclosures_section(unit: Unit) -> Section:
    """The disclosure area's public list of the place, newest first: the columns shown,
    in one query (its forms, which the list page shows, are not shown here)."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in public_disclosures(unit=unit)
        .prefetch_related(None)
        .values("public_id", "title", "start", "end", "unit__name", "kind__title")[:SUMMARY_SIZE]
    ]
    url = urls_for("portal:disclosure")
    for row in rows:
        row["url"] = url(row["public_id"])
    return Section(
        key="cong-khai",
        title=str(_("Thông tin công khai mới nhất")),
        template="portal/places/_disclosures.html",
        items=rows,
        more_url=safe_reverse("portal:disclosures", query=place_query(unit)),
    )


def place_articles(unit: Unit, *, limit: int) -> list[dict[str, Any]]:
    """The newest public articles of *unit*'s page, as news.selectors.articles_for_place
    chooses them (its own, and those its province addressed to it too), newest first: what
    the page shows of each, in one query.

    Read as the union of the two halves, each answered by its own index (the article's
    unit; the addressed units). Asked as one filter with an OR, PostgreSQL walks the
    published articles of the whole country newest first until five match: 90 ms with
    100,000 articles for a commune with few of its own, against 0.2 ms.
    """
    fields = ("id", "public_id", "slug", "title", "publish_at", "unit_id", "unit__name")
    own = public_articles().filter(unit=unit).order_by().values(*fields)
    addressed = public_articles().filter(also_on=unit).order_by().values(*fields)
    rows = own.union(addressed).order_by("-publish_at", "-id")[:limit]
    return [
        {
            "url": Article(public_id=row["public_id"], slug=row["slug"]).get_absolute_url(),
            "title": row["title"],
            "publish_at": row["publish_at"],
            "unit_id": row["unit_id"],
            "unit_name": row["unit__name"],
        }
        for row in rows
    ]


def news_section(unit: Unit) -> Section:
    """The latest articles published by the place or addressed to it by its province."""
    code = {"noi": unit.code}
    return Section(
        key="tin-tuc",
        title=str(_("Tin tức")),
        template="portal/places/_news.html",
        items=place_articles(unit, limit=SUMMARY_SIZE),
        more_url=safe_reverse("portal:news", query=code),
        data={
            "rss_url": safe_reverse("portal:news_feed_rss", unit.code),
            "atom_url": safe_reverse("portal:news_feed_atom", unit.code),
        },
    )


def consultations_section(unit: Unit) -> Section:
    return Section(
        key="lay-y-kien",
        title=str(_("Đang lấy ý kiến Nhân dân")),
        template="portal/places/_consultations.html",
        items=open_consultations(unit, limit=SUMMARY_SIZE),
        more_url=safe_reverse("portal:consultations", query=place_query(unit)),
    )


def votes_section(unit: Unit) -> Section:
    """The online votes open today in the place's villages, closing soonest first (the
    votes list's own filter, portal.votes.selectors.open_q); one query."""
    rows = list(
        rows_under(public_votes(), unit, field="matter__unit")
        .filter(open_q(_today()))
        .order_by("closes_on", "-id")
        .values(
            "public_id",
            "opened_on",
            "closes_on",
            "matter__title",
            "matter__kind",
            "matter__unit__name",
        )[:SUMMARY_SIZE]
    )
    url = urls_for("portal:vote")
    for row in rows:
        row["url"] = url(row["public_id"])
        row["kind_label"] = display(Matter, "kind", row["matter__kind"])
    return Section(
        key="bieu-quyet",
        title=str(_("Đang biểu quyết trực tuyến")),
        template="portal/places/_votes.html",
        items=rows,
        more_url=safe_reverse("portal:votes", query=place_query(unit)),
    )


def schedules_section(unit: Unit) -> Section:
    # The portal's one wording of a schedule's day (portal.views; imported here, not at
    # the top, because portal.views imports this module for the home page).
    from ..views import _schedule_day as schedule_day

    rows = list(
        public_schedules(on=_today(), unit=unit).only(
            "pattern", "day", "place", "unit__name", "leader__position", "leader__full_name"
        )[:SUMMARY_SIZE]
    )
    return Section(
        key="tiep-cong-dan",
        title=str(_("Lịch tiếp công dân")),
        template="portal/places/_schedules.html",
        items=[(s, schedule_day(s)) for s in rows],
        more_url=safe_reverse("portal:schedules", query=place_query(unit)),
    )


def dialogues_section(unit: Unit) -> Section:
    # The questions and commitments public_dialogues prefetches are not shown here.
    rows = list(
        public_dialogues(unit=unit)
        .prefetch_related(None)
        .filter(state=Dialogue.State.ANNOUNCED, held_on__gte=_today())
        .order_by("held_on", "id")
        .values("title", "held_on", "place", "unit__name")[:SUMMARY_SIZE]
    )
    return Section(
        key="doi-thoai",
        title=str(_("Đối thoại sắp diễn ra")),
        template="portal/places/_dialogues.html",
        items=rows,
        more_url=safe_reverse("portal:dialogues", query=place_query(unit)),
    )


def initiatives_section(unit: Unit) -> Section:
    """Recognized, exemplary and replicated entries of the movement, in the gallery's order
    (exemplary first, then the latest recognized), never the contact person or phone.

    One query: the gallery's cards also carry a photo and a count of replications, which
    this page does not show. Each item is what the page shows of one card.
    """
    entries = (
        gallery_entries(unit=unit)
        .select_related(None)
        .select_related("unit", "field")
        .only(*INITIATIVE_FIELDS)[:SUMMARY_SIZE]
    )
    url = urls_for("portal:gallery_entry")
    items = []
    for entry in entries:
        card = Card(entry=entry, photo=None, replications=0)
        items.append(
            {
                "url": url(entry.public_id),
                "name": entry.name,
                "field": entry.field.name,
                "status": entry.get_status_display(),
                "level": card.level,
                "year": card.year,
                "unit": entry.unit.name,
            }
        )
    return Section(
        key="dien-hinh",
        title=str(_("Mô hình, điển hình “Dân vận khéo”")),
        template="portal/places/_initiatives.html",
        items=items,
        more_url=safe_reverse("portal:gallery", query=place_query(unit)),
    )


# What the initiatives section reads of an entry: what it shows and what Card.level and
# Card.year read.
INITIATIVE_FIELDS = (
    "public_id",
    "name",
    "status",
    "exemplary_level",
    "recognized_level",
    "recognized_on",
    "registration_year",
    "unit__name",
    "field__name",
)


def feedback_section(unit: Unit) -> Section:
    """Feedback received and answered over the last 12 months (counts and on-time rate),
    the citizens' own verdicts on the answers, and the summaries an officer published."""
    since = _today() - dt.timedelta(days=FEEDBACK_DAYS - 1)
    return Section(
        key="phan-anh",
        title=str(_("Phản ánh, kiến nghị đã nhận và trả lời")),
        template="portal/places/_feedback.html",
        items=[],
        data={
            "counts": public_feedback(unit, limit=SUMMARY_SIZE, since=since),
            "verdicts": resolution_rate(unit, since=since),
            "submit_url": safe_reverse("portal:submit", query={"commune": unit.code})
            if unit.kind == UnitKind.COMMUNE
            else safe_reverse("portal:submit"),
            "lookup_url": safe_reverse("portal:lookup"),
        },
    )


def official_positions(unit: Unit) -> list[str]:
    """The positions held now in *unit* itself (Chủ tịch UBND, Phó Chủ tịch…), each once.

    Positions only: the directory's names, phones and e-mails stay inside (domain.md §11
    leaves it to verify which contacts Decree 42/2022 makes public). Who receives citizens
    is named by the reception schedule, which the law requires to be published.
    """
    today = _today()
    rows = (
        Official.objects.filter(unit=unit)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .values_list("position", flat=True)
        .order_by("position")
        .distinct()[:20]
    )
    return [p for p in rows if p]


def decree42_section(unit: Unit) -> Section:
    """What Decree 42/2022/NĐ-CP asks a state body to publish online that danvan holds,
    with where to read it: documents and disclosures, plans and drafts, statistics,
    organization and contacts, the channel for citizens' feedback."""
    query = place_query(unit)
    items = [
        (
            _("Văn bản, thông tin công khai (số, ngày, trích yếu, tệp)"),
            safe_reverse("portal:disclosures", query=query),
        ),
        (
            _("Kế hoạch, dự thảo đang và đã lấy ý kiến"),
            safe_reverse("portal:consultations", query=query),
        ),
        (_("Kết quả biểu quyết của cộng đồng dân cư"), safe_reverse("portal:votes", query=query)),
        (
            _("Lịch tiếp công dân, đối thoại với nhân dân"),
            safe_reverse("portal:schedules", query=query),
        ),
        (_("Số liệu thống kê, dữ liệu mở"), safe_reverse("portal:opendata", query=query)),
        (_("Tiếp nhận phản ánh, kiến nghị"), safe_reverse("portal:submit")),
    ]
    return Section(
        key="nghi-dinh-42",
        title=str(_("Thông tin công khai theo Nghị định 42/2022/NĐ-CP")),
        template="portal/places/_decree42.html",
        items=[(label, url) for label, url in items if url],
        data={"positions": official_positions(unit)},
    )


# The sections of each kind of place, in page order. Add one here (and its partial).
COMMUNE_SECTIONS: list[SectionFn] = [
    news_section,
    disclosures_section,
    consultations_section,
    votes_section,
    schedules_section,
    dialogues_section,
    initiatives_section,
    feedback_section,
    decree42_section,
]
PROVINCE_SECTIONS: list[SectionFn] = list(COMMUNE_SECTIONS)


def place_sections(unit: Unit) -> list[Section]:
    functions = PROVINCE_SECTIONS if unit.kind == UnitKind.PROVINCE else COMMUNE_SECTIONS
    return [s for s in (fn(unit) for fn in functions) if s is not None]


def place_counts(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """*units* with how many communes in force each has (for the province list)."""
    return units.annotate(
        communes=Count(
            "children",
            filter=Q(children__kind=UnitKind.COMMUNE, children__valid_to__isnull=True),
        )
    )
