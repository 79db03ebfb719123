import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.test import RequestFactory

from channels_ui.uploads import read_text_upload

CSV = "sku,name\nA-1,Blåbær\n"


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("rows.csv", data, content_type="text/csv")


def refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        read_text_upload(upload(data), **kwargs)
    return refused.value.code


def test_it_decodes_utf8():
    assert read_text_upload(upload(CSV.encode())) == CSV


def test_it_drops_a_utf8_byte_order_mark():
    assert read_text_upload(upload(b"\xef\xbb\xbf" + CSV.encode())) == CSV


def test_a_file_at_the_cap_is_read():
    assert len(read_text_upload(upload(b"x" * 100), max_bytes=100)) == 100


def test_a_file_over_the_cap_is_refused():
    assert refusal(b"x" * 101, max_bytes=100) == "too_large"


def test_the_default_cap_is_two_megabytes():
    assert refusal(b"x" * 2_000_001) == "too_large"


def test_a_binary_file_is_refused():
    assert refusal(b"PK\x03\x04\x00\x00 spreadsheet") == "binary"


def test_a_latin1_file_is_refused():
    assert refusal("Blåbær".encode("latin-1")) == "not_utf8"


def test_a_utf16_file_is_refused_as_not_utf8():
    assert refusal(CSV.encode("utf-16")) == "not_utf8"


def test_the_message_says_what_to_do():
    with pytest.raises(ValidationError) as refused:
        read_text_upload(upload(b"x" * 2_000_001))
    assert refused.value.messages == [
        "The file is larger than 2 MB; split it into smaller files."
    ]


def posted_file(size: int) -> InMemoryUploadedFile:
    body = {"rows": SimpleUploadedFile("big.csv", b"x" * size)}
    return RequestFactory().post("/", body).FILES["rows"]


def test_a_large_upload_stays_in_memory():
    assert isinstance(posted_file(3_000_000), InMemoryUploadedFile)


def test_a_large_upload_keeps_one_byte_past_the_cap():
    assert len(posted_file(3_000_000).read()) == 2_000_001


def test_a_large_upload_reports_its_real_size():
    assert posted_file(3_000_000).size == 3_000_000


def test_a_large_posted_file_is_refused_as_too_large():
    with pytest.raises(ValidationError) as refused:
        read_text_upload(posted_file(3_000_000))
    assert refused.value.code == "too_large"


def test_no_upload_handler_writes_to_disk(settings):
    assert settings.FILE_UPLOAD_HANDLERS == [
        "channels_ui.uploads.CappedMemoryUploadHandler"
    ]
