"""Operational endpoints that belong to no domain app."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    from danvan.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status; 503 when either is down (for load balancers)."""
    database, broker = _database_ok(), _broker_ok()
    status = "ok" if database and broker else "error"
    return JsonResponse(
        {
            "status": status,
            "database": "ok" if database else "error",
            "broker": "ok" if broker else "error",
        },
        status=200 if status == "ok" else 503,
    )
