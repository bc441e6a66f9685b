"""The spreadsheet import pages: thin doors onto imports.services (writes) and
imports.selectors (reads).

A job the user may not see answers 404 like a missing one. The upload page reads its
request body through a size-limiting upload handler, so an oversized file is refused
without being read or stored (see ImportSizeLimitHandler).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.forms import apply_service
from danvan.core.http import domain_http
from danvan.jobs import selectors as job_selectors

from ..models import ImportJob
from . import excel, selectors, services
from .forms import ImportStartForm, ImportUploadForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


class ImportSizeLimitHandler(FileUploadHandler):
    """Refuse an upload bigger than *limit* bytes without reading it.

    When the request declares a larger body, parsing stops before reading anything and
    the view answers 413. A body that turns out larger than declared (or chunked) is
    cut as soon as *limit* bytes of file data have passed: nothing more is read.
    """

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, Any]] | None:
        if content_length > self.limit + FORM_OVERHEAD:
            self.too_large = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers (memory or temporary file) build the file


def _upload_form(request: HttpRequest, data: Any = None, files: Any = None) -> ImportUploadForm:
    targets = selectors.import_targets(request.user)
    if not targets:
        raise PermissionDenied(_("Tài khoản của bạn không có quyền nhập dữ liệu phong trào."))
    return ImportUploadForm(
        data,
        files,
        targets=targets,
        max_mb=services.max_upload_bytes() // (1024 * 1024),
    )


def _page(request: HttpRequest, form: ImportUploadForm, status: int = 200) -> HttpResponse:
    jobs = selectors.job_list(actor=request.user)
    return render(
        request,
        "movement/import_list.html",
        {"form": form, "jobs": jobs},
        status=status,
    )


@csrf_exempt  # checked below, after the size limit is in place (csrf_protect)
@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """The upload form and the user's recent imports."""
    if request.method != "POST":
        return _page(request, _upload_form(request))
    limiter = ImportSizeLimitHandler(request, limit=services.max_upload_bytes())
    cast(list[FileUploadHandler], request.upload_handlers).insert(0, limiter)
    request.FILES  # noqa: B018 (parse the body now, through the limiter)
    if limiter.too_large:
        # Nothing was read or stored, so there is nothing to protect from forgery here.
        form = _upload_form(request, request.POST, {})
        form.full_clean()
        form.errors.pop("file", None)
        if not request.POST:  # parsing stopped before the other fields: no error for them
            form.errors.pop("target", None)
        form.add_error("file", services.too_large_message())
        return _page(request, form, status=413)
    return _import_upload(request)


@csrf_protect
def _import_upload(request: HttpRequest) -> HttpResponse:
    form = _upload_form(request, request.POST, request.FILES)
    if form.is_valid():
        unit = selectors.import_target(request.user, form.cleaned_data["target"])
        job = apply_service(
            form,
            lambda: services.job_create(
                actor=request.user, upload=form.cleaned_data["file"], unit=unit
            ),
        )
        if job is not None:
            return redirect("movement:import_detail", public_id=job.public_id)
    return _page(request, form, status=400)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The template to fill in (any signed-in user may download it)."""
    content = excel.build_template(fields=selectors.template_fields())
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dan-van-kheo.xlsx"'
    return response


def _detail(
    request: HttpRequest,
    job: ImportJob,
    form: ImportStartForm | None = None,
    status: int = 200,
    retry_error: str = "",
) -> HttpResponse:
    context: dict[str, Any] = {
        "job": job,
        "written": _written(job),
        "retry_error": retry_error,
        "form": form or ImportStartForm(initial={"mode": ImportJob.Mode.ALL_OR_NOTHING}),
        "earlier": selectors.earlier_imports_of(job),
        "hidden_errors": max(0, job.error_count - len(job.errors)),
    }
    return render(request, "movement/import_detail.html", context, status=status)


def _written(job: ImportJob) -> int | None:
    """Rows the writing has processed so far (its heartbeat reports them: the rows
    themselves are invisible until the one transaction commits)."""
    if job.state != ImportJob.State.IMPORTING:
        return None
    return job_selectors.job_progress(services.job_key(services.RUN_JOB, job.pk))


@login_required
@domain_http
@require_GET
def import_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The validation report, the user's choice, and the outcome."""
    job = services.job_check(job=selectors.job_get(actor=request.user, public_id=public_id))
    return _detail(request, job)


@login_required
@domain_http
@require_POST
def import_start(request: HttpRequest, public_id: str) -> HttpResponse:
    job = selectors.job_get(actor=request.user, public_id=public_id)
    form = ImportStartForm(request.POST)
    if form.is_valid():
        started = apply_service(
            form,
            lambda: services.job_start(actor=request.user, job=job, mode=form.cleaned_data["mode"]),
        )
        if started is not None:
            return redirect("movement:import_detail", public_id=job.public_id)
    return _detail(request, job, form, status=400)


@login_required
@domain_http
@require_POST
def import_retry(request: HttpRequest, public_id: str) -> HttpResponse:
    """Run again the failed phase of the same job (the failure's "Thử lại" button)."""
    job = selectors.job_get(actor=request.user, public_id=public_id)
    try:
        services.job_retry(actor=request.user, job=job)
    except (NotFound, PermissionDenied):
        raise  # domain_http answers 404 / 403
    except DomainError as exc:
        return _detail(request, job, status=400, retry_error=exc.message)
    return redirect("movement:import_detail", public_id=job.public_id)


@login_required
@domain_http
@require_GET
def import_progress(request: HttpRequest, public_id: str) -> HttpResponse:
    """The progress partial the detail page polls; once the job has moved on from
    checking or writing, the page is reloaded to show the report. A job whose worker
    died is resumed or failed here (services.job_check), not left "đang ghi…"."""
    job = services.job_check(job=selectors.job_get(actor=request.user, public_id=public_id))
    htmx = getattr(request, "htmx", None)
    if htmx and not job.is_running:
        return HttpResponseClientRefresh()
    return render(request, "movement/import_progress.html", {"job": job, "written": _written(job)})
