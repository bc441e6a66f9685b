"""API routes for the movement (movement_stats). Thin: parse, call a selector/service, serialize."""

from ninja import Router

router = Router(tags=["Dân vận khéo"])
