"""Temporary stand-ins so the navigation resolves while the pages are being built."""

from django.http import HttpRequest, HttpResponse


def not_ready(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Đang xây dựng.", status=501)
