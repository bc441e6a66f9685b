"""A citizen's phone number is checked for the Vietnamese shape, with the shape in the
message; written with spaces, dots or +84 it is accepted as typed."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from danvan.cases.models import Case
from danvan.units.models import Unit

from .test_views import _sending

pytestmark = pytest.mark.django_db


def test_a_number_that_is_not_a_phone_says_the_allowed_shape(client: Client, commune: Unit) -> None:
    response = client.post(reverse("portal:submit"), _sending(commune, phone="12345"))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "“12345” không phải số điện thoại Việt Nam" in page
    assert "Di động có 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09" in page
    assert not Case.objects.exists()


def test_a_number_with_the_country_code_is_accepted(client: Client, commune: Unit) -> None:
    response = client.post(reverse("portal:submit"), _sending(commune, phone="+84 912.000.333"))
    assert response.status_code == 302
    assert Case.objects.count() == 1
