"""Decoding source files: UTF-8 with BOM and any newline style in, every kind of bad file out."""

# ruff: noqa: RUF001 - the sample texts use typographic apostrophes and quotes

import hashlib
import os

import pytest

from corpus.decode import SourceError, read_source


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_with_bom_and_crlf_becomes_plain_text_with_lf(tmp_path):
    raw = "\ufeffKyiv’s “plan”\r\nsecond line\rthird\n".encode()
    source = read_source(write(tmp_path, "a.txt", raw))
    assert source.text == "Kyiv’s “plan”\nsecond line\nthird\n"
    assert source.raw == raw


def test_checksum_is_sha256_of_the_raw_bytes(tmp_path):
    raw = "\ufeffSame text\r\n".encode()
    assert read_source(write(tmp_path, "a.txt", raw)).checksum == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\r\n\t ", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image)"),
        (bytes(range(1, 32)) * 20, "binary file (too many control characters)"),
        (b"Ukraine\x00 and Russia", "contains NUL bytes (first at byte 7)"),
        ("Kyiv".encode("utf-16"), "UTF-16 text"),
        (b"Caf\xe9 au lait", "not valid UTF-8 (byte 0xe9 at offset 3)"),
    ],
    ids=["empty", "whitespace", "png", "control-chars", "nul", "utf16", "latin1"],
)
def test_bad_bytes_are_refused_with_the_file_and_reason(tmp_path, data, reason):
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert str(path) in str(caught.value)
    assert reason in caught.value.reason


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = write(tmp_path, "big.txt", b"word " * 300)
    with pytest.raises(
        SourceError, match=r"big\.txt: file is 1,500 bytes, over the limit of 1,000"
    ):
        read_source(path, max_bytes=1000)
    assert read_source(path, max_bytes=1500).text.startswith("word")


def test_missing_path_names_the_file(tmp_path):
    with pytest.raises(SourceError, match=r"nope\.txt: no such file"):
        read_source(tmp_path / "nope.txt")


def test_a_folder_is_not_a_source_file(tmp_path):
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(tmp_path)


def test_a_named_pipe_is_refused_without_being_opened(tmp_path):
    """Opening a pipe would wait for a writer: its kind is known from the stat alone."""
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(tmp_path / "pipe.txt")
