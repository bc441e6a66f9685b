"""The document register's pages: thin doors onto selectors (reads) and services (writes).

Reading needs Perm.DIRECTIVE_VIEW (on the document's unit, or on a unit below it:
directives flow down), writing Perm.DIRECTIVE_MANAGE on the registering unit. A document
out of sight answers 404 like a missing one; a form a service refuses comes back with
HTTP 400, what was typed kept and the message beside its field.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.accounts.selectors import current_unit
from danvan.core.errors import DomainError, NotFound
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.units.pages import required_unit, with_unit
from danvan.units.picker import national_view, unit_filter

from . import prefill, selectors, services
from .forms import DocumentForm, LinkForm
from .models import Document, Family

PER_PAGE = 50
_STAGED_SALT = "directives.staged"
_STAGED_DIR = "directives/staged"
# A file staged by "read and pre-fill" is kept this long for the clerk to confirm.
_STAGED_MAX_AGE = 24 * 3600


def detail_url(document: Document) -> str:
    return reverse("directives:detail", kwargs={"public_id": document.public_id})


# -- the list -----------------------------------------------------------------------------


def _filters(request: HttpRequest) -> selectors.Filters:
    family = request.GET.get("family", "")
    year = request.GET.get("year", "")
    return selectors.Filters(
        text=request.GET.get("q", "").strip()[:200],
        family=family if family in Family.values else "",
        doc_type=request.GET.get("type", "").strip()[:12],
        year=int(year) if year.isdigit() and len(year) == 4 else None,
    )


@login_required
@domain_http
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    unit_form, unit = unit_filter(request, purpose=Perm.DIRECTIVE_VIEW)
    filters = _filters(request)
    context: dict[str, Any] = {
        "unit": unit,
        "unit_form": unit_form,
        "filters": filters,
        "families": Family.choices,
    }
    national = national_view(request.user, unit_form, unit, Perm.DIRECTIVE_VIEW)
    if unit is not None or national:
        everything = selectors.documents_list(
            user=request.user, unit=unit, filters=selectors.Filters()
        )
        unfamilied = selectors.documents_list(
            user=request.user,
            unit=unit,
            filters=selectors.Filters(
                text=filters.text, doc_type=filters.doc_type, year=filters.year
            ),
        )
        rows = selectors.documents_list(user=request.user, unit=unit, filters=filters)
        page, query = paginate(request, rows, PER_PAGE)
        documents = list(page.object_list)
        counts = selectors.family_counts(unfamilied)
        context.update(
            {
                "national": national,
                "page": page,
                "query": query,
                "documents": documents,
                "replaced": selectors.replaced_ids(documents),
                "counts": [(value, label, counts[value]) for value, label in Family.choices],
                "total": sum(counts.values()),
                "types": selectors.types_in(everything),
                "years": selectors.years_in(everything),
            }
        )
    if unit is not None:
        context["can_create"] = policies.has_perm(request.user, Perm.DIRECTIVE_MANAGE, unit)
        context["create_url"] = with_unit("directives:create", unit)
    return render(request, "directives/list.html", context, status=form_status(unit_form))


# -- registering and correcting -------------------------------------------------------------


def _stage(request: HttpRequest, upload: UploadedFile, content_type: str) -> str:
    """Keep the uploaded file while the clerk checks the pre-filled form; a signed token
    (bound to the user) names it, so a posted token cannot point at another file."""
    _sweep_staged()
    path = default_storage.save(f"{_STAGED_DIR}/{uuid.uuid4().hex}", upload)
    payload = {"p": path, "n": upload.name or "van-ban", "t": content_type, "u": request.user.pk}
    return signing.dumps(payload, salt=_STAGED_SALT)


def _sweep_staged() -> None:
    """Delete files staged and never saved (the clerk left the form) once they expire."""
    try:
        _, names = default_storage.listdir(_STAGED_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - dt.timedelta(seconds=_STAGED_MAX_AGE)
    for name in names:
        path = f"{_STAGED_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _unstage(request: HttpRequest, token: str) -> tuple[UploadedFile | None, str]:
    """The staged file named by *token* (and its storage path), or None."""
    if not token:
        return None, ""
    try:
        payload = signing.loads(token, salt=_STAGED_SALT, max_age=_STAGED_MAX_AGE)
    except signing.BadSignature:
        return None, ""
    if payload.get("u") != request.user.pk or not default_storage.exists(payload["p"]):
        return None, ""
    with default_storage.open(payload["p"], "rb") as handle:
        content = handle.read()
    return SimpleUploadedFile(payload["n"], content, content_type=payload["t"]), payload["p"]


def _prefilled(request: HttpRequest, form: DocumentForm) -> DocumentForm:
    """Read the chosen file's first page; the form comes back with the suggestions in
    the fields the clerk left empty, and the file staged for saving (read again when
    the clerk presses the button a second time without choosing another file)."""
    upload = request.FILES.get("file")
    token = ""
    if upload is None and form.staged_file is not None:
        upload, token = form.staged_file, request.POST.get("staged", "")
    typed = {k: request.POST.get(k, "") for k in form.fields if k not in ("file", "staged")}
    if request.POST.get("issuer_unit_pick"):
        typed["issuer_unit"] = request.POST["issuer_unit_pick"]
    fresh = DocumentForm(actor=request.user, unit=form.unit, initial=typed)
    if upload is None:
        fresh.prefill_error = _("Chọn tệp văn bản (PDF hoặc .docx) trước khi bấm đọc tệp.")  # type: ignore[attr-defined]
        return fresh
    try:
        suggestion = prefill.suggest(upload)
    except DomainError as exc:
        fresh.prefill_error = exc.message  # type: ignore[attr-defined]
        return fresh
    content_type = services.check_document_file(upload)
    initial: dict[str, object] = dict(typed)
    for key, value in suggestion.as_initial().items():
        if not str(initial.get(key) or "").strip():
            initial[key] = value
    initial["staged"] = token or _stage(request, upload, content_type)
    fresh = DocumentForm(actor=request.user, unit=form.unit, initial=initial)
    fresh.suggestion = suggestion  # type: ignore[attr-defined]
    fresh.staged_name = upload.name  # type: ignore[attr-defined]
    return fresh


def _warn(request: HttpRequest, document: Document) -> None:
    """The parser's warnings (a type or body code not in its lists): accepted, worth a look."""
    for warning in services.parse_number(document.number).warnings:
        messages.warning(request, warning)


def _form_page(
    request: HttpRequest,
    form: DocumentForm,
    *,
    title: str,
    cancel_url: str,
    document: Document | None = None,
    implements: Document | None = None,
) -> HttpResponse:
    return render(
        request,
        "directives/form.html",
        {
            "form": form,
            "unit": form.unit,
            "title": title,
            "document": document,
            "cancel_url": cancel_url,
            "prefill": document is None,
            "implements": implements,
        },
        status=400 if getattr(form, "prefill_error", "") else form_status(form),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.DIRECTIVE_MANAGE, unit)
    # ?implements=<document>: recorded from a superior's document it carries out.
    implements = _implemented(request)
    title = _("Vào sổ văn bản")
    cancel = detail_url(implements) if implements else with_unit("directives:list", unit)
    post = request.POST if request.method == "POST" else None
    staged_file, staged_path = _unstage(request, (post or QueryDict()).get("staged", ""))
    form = DocumentForm(
        post, request.FILES or None, actor=actor, unit=unit, staged_file=staged_file
    )
    if post is not None and "prefill" in post:
        return _form_page(
            request,
            _prefilled(request, form),
            title=title,
            cancel_url=cancel,
            implements=implements,
        )
    if post is not None and form.is_valid():
        done = apply_service(
            form,
            lambda: services.document_register(
                actor=actor,
                unit=unit,
                data=form.service_data(),
                file=form.upload(),
                implements=implements,
            ),
        )
        if done is not None:
            if staged_path:
                default_storage.delete(staged_path)
            messages.success(request, _("Đã vào sổ văn bản %(n)s.") % {"n": done.number})
            _warn(request, done)
            return redirect(detail_url(done))
    if staged_file is not None:
        form.staged_name = staged_file.name  # type: ignore[attr-defined]
    return _form_page(request, form, title=title, cancel_url=cancel, implements=implements)


def _implemented(request: HttpRequest) -> Document | None:
    text = request.GET.get("implements", "").strip()
    if not text:
        return None
    try:
        public_id = uuid.UUID(text)
    except ValueError:
        raise NotFound(_("Không tìm thấy văn bản."), code="document_not_found") from None
    return selectors.document_get(user=request.user, public_id=public_id)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    document = selectors.document_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DIRECTIVE_MANAGE, document.unit)
    initial = {
        "number": document.number,
        "issued_on": document.issued_on,
        "issuer_name": document.issuer_name,
        "issuer_unit": document.issuer_unit,
        "excerpt": document.excerpt,
        "party_term": document.party_term,
        "signer_name": document.signer_name,
        "signer_position": document.signer_position,
    }
    post = request.POST if request.method == "POST" else None
    form = DocumentForm(
        post,
        request.FILES or None,
        actor=actor,
        unit=document.unit,
        instance=document,
        initial=initial,
    )
    if post is not None and form.is_valid():
        done = apply_service(
            form,
            lambda: services.document_update(
                actor=actor, document=document, data=form.service_data(), file=form.upload()
            ),
        )
        if done is not None:
            messages.success(request, _("Đã lưu văn bản %(n)s.") % {"n": done.number})
            _warn(request, done)
            return redirect(detail_url(done))
    return _form_page(
        request,
        form,
        title=_("Sửa văn bản %(n)s") % {"n": document.number},
        cancel_url=detail_url(document),
        document=document,
    )


# -- one document ------------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def document_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    document = selectors.document_get(user=user, public_id=public_id)
    links_out, links_in = selectors.links_of(user, document)
    can_manage = policies.has_perm(user, Perm.DIRECTIVE_MANAGE, document.unit)
    # From a superior's document, the working unit records the document carrying it out.
    working = current_unit(request)
    implement_url = ""
    if (
        working is not None
        and working.pk != document.unit_id
        and policies.has_perm(user, Perm.DIRECTIVE_MANAGE, working)
    ):
        implement_url = with_unit("directives:create", working, implements=str(document.public_id))
    context = {
        "document": document,
        "unit": document.unit,
        "links_out": links_out,
        "links_in": links_in,
        "replaced_by": selectors.replaced_by(links_in),
        "can_manage": can_manage,
        "implement_url": implement_url,
        "working_unit": working,
        "list_url": with_unit("directives:list", document.unit),
    }
    return render(request, "directives/detail.html", context)


@login_required
@domain_http
@require_GET
def document_file(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    document = selectors.document_get(user=request.user, public_id=public_id)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = document.file_content_type or (
        mimetypes.guess_type(document.file_name)[0] or "application/octet-stream"
    )
    response = FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=document.file_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    # domain_http is typed for HttpResponse; a streamed file passes through it unchanged.
    return cast(HttpResponse, response)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    document = selectors.document_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DIRECTIVE_MANAGE, document.unit)
    source = request.POST if request.method == "POST" else request.GET
    text = source.get("q", "").strip()[:200]
    targets = selectors.link_targets(user=actor, text=text, exclude=document)
    post = request.POST if request.method == "POST" else None
    form = LinkForm(post, targets=targets, initial={"q": text})
    if post is not None and form.is_valid():
        target = form.target_document()
        if target is None:
            form.add_error("target", _("Chọn văn bản được liên kết."))
        else:
            kind = form.cleaned_data["kind"]
            done = apply_service(
                form,
                lambda: services.document_link_add(
                    actor=actor, source=document, target=target, kind=kind
                ),
            )
            if done is not None:
                messages.success(request, _("Đã thêm liên kết văn bản."))
                return redirect(detail_url(document))
    htmx = getattr(request, "htmx", None)
    partial = htmx and not htmx.history_restore_request and htmx.target == "link-results"
    return render(
        request,
        "directives/_link_results.html" if partial else "directives/link_form.html",
        {
            "document": document,
            "unit": document.unit,
            "form": form,
            "q": text,
            "targets": targets,
            "title": _("Liên kết văn bản %(n)s") % {"n": document.number},
        },
        status=form_status(form),
    )


@login_required
@domain_http
@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.link_get(user=request.user, pk=pk)
    source = link.source
    services.document_link_remove(actor=request.user, link=link)
    messages.success(request, _("Đã gỡ liên kết văn bản."))
    return redirect(detail_url(source))
