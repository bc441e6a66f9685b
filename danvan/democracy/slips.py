"""What a vote-code slip carries besides the household's code: the vote's short address
and a QR code of it, drawn on the server as SVG (no script, no external request).

The QR code and the short address name the VOTE, never a household: a one-time code in
a URL would be kept in the browser's history, in proxy and server logs and sent on in
the Referer header, and anyone scanning a slip left on a table would vote for that
household. So the citizen scans (or types) the short address, which leads to the vote
page, and types the code printed beside it into a form sent by POST. The cost is typing
ten characters; the household's secret stays on paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import qrcode
from qrcode.image.svg import SvgPathImage

from .models import Vote

_VIEW_BOX = re.compile(rb'viewBox="([0-9. ]+)"')


def short_path(vote: Vote) -> str:
    """The vote's short address on the portal ("portal:vote_short"); written out here as
    portal_vote_path is, since the officer's pages do not depend on the portal's URLs."""
    return f"/cong-dan/bq/{vote.short_code}/"


@dataclass(frozen=True)
class QrSymbol:
    """One QR code, drawn once per page as an SVG <symbol> that every slip <use>s."""

    view_box: str
    path: str


def qr_symbol(text: str) -> QrSymbol:
    image = qrcode.make(
        text, image_factory=SvgPathImage, error_correction=qrcode.constants.ERROR_CORRECT_M
    )
    # Our own output, not input: the viewBox read back from the drawn SVG, the path's
    # outline from the image (no XML parsing of anything a user sent).
    found = _VIEW_BOX.search(image.to_string())
    return QrSymbol(
        view_box=found.group(1).decode() if found else "", path=str(image.path.get("d", ""))
    )
