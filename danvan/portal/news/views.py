"""News on the citizens' portal: the list (by place and subject), an article with its
share links, most-read box and readers' feedback, the articles' photos.

Only what an editor approved and whose publication time has come is shown (news.selectors
.public_articles); readers' feedback only once approved. A reader's view is counted with
one UPDATE and nothing about the reader is kept.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote, urlencode

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from danvan.core.forms import apply_service
from danvan.core.http import paginate
from danvan.news import selectors, services

from ..throttle import count_accepted, held_back
from .forms import FeedbackForm

PER_PAGE = 10
MOST_READ = 5
# Sending feedback: a reader rarely sends more than a few at once. Only accepted feedback
# counts (throttle.over_limit / count_accepted): a refused form costs nothing.
FEEDBACK_GROUP = "portal.news_feedback"
FEEDBACK_RATES = ("5/10m", "30/d")
# The article feedback was just sent to from this browser: popped when thanked.
SENT_KEY = "portal_news_feedback"


@require_GET
def news(request: HttpRequest) -> HttpResponse:
    place = None
    code = request.GET.get("noi", "").strip()
    if code:
        place = selectors.place_by_code(code)
        if place is None:
            raise Http404
    tag = None
    slug = request.GET.get("chu-de", "").strip()
    if slug:
        tag = selectors.tag_by_slug(slug)
        if tag is None:
            raise Http404
    page, query = paginate(request, selectors.public_list(unit=place, tag=tag), PER_PAGE)
    return render(
        request,
        "portal/news/list.html",
        {
            "place": place,
            "tag": tag,
            "page": page,
            "query": query,
            "articles": list(page.object_list),
            "most_read": selectors.most_read(limit=MOST_READ, unit=place),
            "tags": selectors.used_tags(),
        },
    )


def share_links(url: str, title: str) -> dict[str, str]:
    """Plain links that share *url* without any script of ours or theirs."""
    return {
        "mail": "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        # Zalo's share page for a link (the one its share button opens).
        "zalo": "https://sp.zalo.me/plugins/share?" + urlencode({"href": url}),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def article(request: HttpRequest, public_id: uuid.UUID, slug: str = "") -> HttpResponse:
    found = selectors.public_article_get(public_id)
    if found is None:
        raise Http404
    if slug != found.slug:
        # One address per article: an old or mistyped slug leads to the right one.
        return HttpResponsePermanentRedirect(found.get_absolute_url())
    key = str(found.public_id)
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        status = 400
        if held_back(request, form, group=FEEDBACK_GROUP, rates=FEEDBACK_RATES):
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            done = apply_service(
                form,
                lambda: services.feedback_submit(
                    actor=None, article=found, text=data["text"], name=data["name"]
                ),
            )
            if done is not None:
                count_accepted(request, group=FEEDBACK_GROUP, rates=FEEDBACK_RATES)
                request.session[SENT_KEY] = key
                return redirect(found.get_absolute_url() + "#y-kien")
    else:
        form = FeedbackForm()
        services.article_record_view(found)
    thanked = request.session.pop(SENT_KEY, None) == key
    url = request.build_absolute_uri(found.get_absolute_url())
    photos = list(found.photos.all())
    cover = next((p for p in photos if p.is_cover), None)
    return render(
        request,
        "portal/news/article.html",
        {
            "article": found,
            "canonical": url,
            "cover": cover,
            "cover_url": request.build_absolute_uri(cover.get_absolute_url()) if cover else "",
            "share": share_links(url, found.title),
            "feedback": list(selectors.public_feedback(found)),
            "form": form,
            "thanked": thanked,
            "most_read": selectors.most_read(limit=MOST_READ),
        },
        status=status,
    )


@require_GET
def photo(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = selectors.photo_get(public_id, user=request.user)
    if found is None:
        raise Http404
    try:
        handle = found.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # A photo never changes under its id; a withdrawn article's photo stops being served
    # here at once, and within a day from caches.
    patch_cache_control(response, public=True, max_age=86400)
    return response  # type: ignore[return-value]
