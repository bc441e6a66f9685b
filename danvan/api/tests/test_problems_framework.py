"""Answers the API framework gives before any handler: a wrong method (405) and the bare
root, in the API's format."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_wrong_method_is_a_problem(client: Client) -> None:
    response = client.put("/api/v1/compliance/board")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert body["status"] == 405
    assert "PUT" in body["detail"]
    assert "GET" in response["Allow"]


def test_the_root_points_to_the_documentation(client: Client) -> None:
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["openapi"] == "/api/v1/openapi.json"
    assert client.get(body["openapi"]).status_code == 200


def test_a_405_outside_the_api_is_left_alone(client: Client) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405
    assert not response.get("Content-Type", "").startswith("application/problem+json")
