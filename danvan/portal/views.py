"""The citizens' portal: thin doors onto cases.services (sending) and the public selectors.

Every page works for an anonymous visitor on a slow phone, without JavaScript. Nothing
personal is ever shown: not a sender's name, contact or address, not a case's alias,
subject or content (domain.md §5 and §7).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from danvan.cases.dialogues.selectors import public_dialogues
from danvan.cases.models import Dialogue, ReceptionSchedule
from danvan.cases.reception.selectors import public_schedules
from danvan.core.http import paginate

from .forms import PlaceFilterForm
from .places.forms import PlaceSearchForm
from .places.selectors import place_counts
from .selectors import provinces

SCHEDULES_PER_PAGE = 50
DIALOGUES_PER_PAGE = 10
WEEKDAYS = (
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The place search and the 34 provinces, then the portal's services."""
    return render(
        request,
        "portal/home.html",
        {
            "search_form": PlaceSearchForm(),
            "provinces": list(place_counts(provinces()).only("code", "name", "name_folded")),
        },
    )


# --- reception schedules and dialogues --------------------------------------------------------


def _schedule_day(schedule: ReceptionSchedule) -> str:
    if schedule.pattern == ReceptionSchedule.Pattern.WEEKLY:
        day = WEEKDAYS[schedule.day] if 0 <= schedule.day < len(WEEKDAYS) else ""
        return _("%(day)s hằng tuần") % {"day": day}
    return _("Ngày %(day)s hằng tháng") % {"day": schedule.day}


@require_GET
def schedules(request: HttpRequest) -> HttpResponse:
    place = PlaceFilterForm(request.GET)
    rows = public_schedules(on=timezone.localdate(), unit=place.unit())
    page, query = paginate(request, rows, SCHEDULES_PER_PAGE)
    items = [(s, _schedule_day(s)) for s in page.object_list]
    return render(
        request,
        "portal/schedules.html",
        {"place": place, "page": page, "query": query, "items": items},
    )


@require_GET
def dialogues(request: HttpRequest) -> HttpResponse:
    place = PlaceFilterForm(request.GET)
    rows = public_dialogues(unit=place.unit())
    today = timezone.localdate()
    upcoming = list(
        rows.filter(state=Dialogue.State.ANNOUNCED, held_on__gte=today).order_by("held_on", "id")[
            :DIALOGUES_PER_PAGE
        ]
    )
    published = rows.filter(state=Dialogue.State.PUBLISHED).order_by(
        "-published_on", "-held_on", "-id"
    )
    page, query = paginate(request, published, DIALOGUES_PER_PAGE)
    return render(
        request,
        "portal/dialogues.html",
        {"place": place, "upcoming": upcoming, "page": page, "query": query},
    )
