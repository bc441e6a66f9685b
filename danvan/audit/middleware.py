from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import client_ip


def request_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is set by the WSGI server; behind the reverse proxy gunicorn is
    # started with --forwarded-allow-ips so it already holds the client's address.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(request_ip(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
