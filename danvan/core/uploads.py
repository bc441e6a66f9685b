"""Uploaded files are checked by what they contain, not by what they claim to be.

A file is accepted only when its name, its declared content type and its first bytes
agree on one of the allowed types, so a renamed executable or a script sent as
"image/png" is refused before anything is stored.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

ALLOWED_UPLOAD_TYPES = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The first bytes of each allowed type: the declared type alone is not trusted.
_MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
}


def check_upload(upload: UploadedFile, *, code: str, field: str = "file") -> str:
    """The checked content type of *upload*; a DomainError with *code* when refused."""
    name = (upload.name or "").lower()
    declared = (upload.content_type or "").split(";")[0].strip()
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(
            code,
            _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            field=field,
        )
    head = upload.read(16)
    upload.seek(0)
    for content_type, suffixes in ALLOWED_UPLOAD_TYPES.items():
        if name.endswith(suffixes) and head.startswith(_MAGIC[content_type]):
            if declared and declared != content_type and declared != "application/octet-stream":
                break
            return content_type
    raise DomainError(
        code,
        _("Tệp không đúng loại đã khai báo. Chỉ nhận ảnh JPG, PNG hoặc tài liệu PDF, DOCX, XLSX."),
        field=field,
    )
