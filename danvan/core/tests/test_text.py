import pytest

from danvan.core.text import fold


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Đống Đa", "dong da"),
        ("dong da", "dong da"),
        ("Thành phố  Hà Nội", "thanh pho ha noi"),
        ("Bắc Kạn", "bac kan"),
        ("Xã Đại Từ", "xa dai tu"),
        ("HỒ CHÍ MINH", "ho chi minh"),
    ],
)
def test_fold_removes_diacritics_and_folds_d(raw: str, folded: str) -> None:
    assert fold(raw) == folded
