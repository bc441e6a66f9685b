"""Vietnamese text folding for diacritics-insensitive search.

Unicode decomposes "ộ" into "o" plus combining marks, but "đ"/"Đ" is a letter of
its own with no decomposition, so it is folded to "d" by hand.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return *text* lower-cased, without diacritics, with "đ" as "d" and spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()
