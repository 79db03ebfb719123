"""Uploaded text files: kept in memory, capped, checked, decoded."""

from __future__ import annotations

from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

MAX_UPLOAD_BYTES = 2_000_000
NOT_UTF8 = "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."


class CappedMemoryUploadHandler(FileUploadHandler):
    """Keep each uploaded file in memory, and at most one byte past the cap.

    Django's own memory handler steps aside for a large request and leaves the
    file to a handler that writes to disk; with none configured the file would
    vanish silently. This one always takes the file, drops what is past the cap,
    and reports the full size, so the form can say "too large".
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = BytesIO()
        self.room = settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.room > 0:
            kept = raw_data[: self.room]
            self.file.write(kept)
            self.room -= len(kept)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def read_text_upload(
    uploaded_file: IO[bytes], *, max_bytes: int = MAX_UPLOAD_BYTES
) -> str:
    """Return an uploaded file's text, decoded as UTF-8 with or without a BOM.

    Raise ValidationError if it is larger than ``max_bytes``, looks binary, is
    not UTF-8, or holds nothing but blanks: an empty file must not replace what
    the user typed.
    """
    declared = getattr(uploaded_file, "size", None) or 0
    data = uploaded_file.read(max_bytes + 1)
    if declared > max_bytes or len(data) > max_bytes:
        raise ValidationError(
            f"The file is larger than {max_bytes / 1_000_000:g} MB; split it into "
            "smaller files.",
            code="too_large",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(NOT_UTF8, code="not_utf8")
    if b"\x00" in data:
        raise ValidationError(
            "The file is not text (it holds binary data). Save it as CSV or plain "
            "text and upload it again.",
            code="binary",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(NOT_UTF8, code="not_utf8") from None
    if not text.strip():
        raise ValidationError(
            "The file is empty; the rows above are kept.", code="empty"
        )
    return text
