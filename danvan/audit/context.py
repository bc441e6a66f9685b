"""The request's client address, carried to services without passing the request.

Services take the acting user explicitly; the network address is a property of
the request, so the audit middleware puts it here for the audit writer.
"""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
