from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from danvan.core.client_address import client_address

from .context import client_ip


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
