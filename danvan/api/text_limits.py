"""Limits on the free texts the API accepts, the same as the forms' (core.validation).

A schema field of free text is declared ``LongText`` (or ``LongText | None``), so that no
endpoint accepts a text of any length: an over-long one is refused with 422 and
"Dài tối đa 10000 ký tự." before any service runs. Short texts (names, titles, codes)
keep their own ``Field(max_length=...)`` as before.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from danvan.core.validation import TEXT_LIMIT

LongText = Annotated[str, Field(max_length=TEXT_LIMIT)]
