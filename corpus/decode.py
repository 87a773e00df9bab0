"""Source files to text: read the bytes, refuse what is not a UTF-8 text file, normalise newlines.

Every refusal raises ``SourceError`` naming the file and the reason, so a batch ingest can
report it and go on with the other files.
"""

import codecs
import hashlib
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

DEFAULT_MAX_BYTES = 2 * 1024 * 1024

# Magic numbers of the binary formats most likely to be dropped into a sources folder by mistake.
BINARY_SIGNATURES = {
    b"%PDF-": "PDF document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive (or Office document)",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
}

# Control characters other than tab, newline, form feed and carriage return never occur in text.
TEXT_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}
BINARY_CONTROL_RATIO = 0.05


class SourceError(ValueError):
    """A source file that cannot be ingested; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass(frozen=True)
class SourceText:
    raw: bytes
    text: str

    @cached_property  # asked for several times per file by ingest
    def checksum(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def read_source(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read ``path`` and decode it, or raise ``SourceError`` saying why it is not usable text."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except OSError as error:
        raise SourceError(path, f"cannot read: {error.strerror or error}") from None
    # The same stat tells the kind of file: is_file() would ask the file system again.
    if not stat.S_ISREG(status.st_mode):
        raise SourceError(path, "not a regular file")
    size = status.st_size
    # Checked before reading, so a huge file is never loaded into memory.
    if size > max_bytes:
        raise SourceError(path, f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError(path, f"cannot read: {error.strerror or error}") from None
    return SourceText(raw=raw, text=decode_bytes(raw, path=path))


def decode_bytes(raw: bytes, *, path: Path | str) -> str:
    """UTF-8 (with or without BOM) to text with ``\\n`` newlines; refuse anything else."""
    if not raw.strip():
        raise SourceError(path, "empty file" if not raw else "file holds only whitespace")
    for signature, kind in BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise SourceError(path, f"binary file ({kind}), not text")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(path, "UTF-16 text; save it as UTF-8")
    nul = raw.find(b"\x00")
    if nul != -1:
        raise SourceError(path, f"contains NUL bytes (first at byte {nul}); not a text file")
    if _looks_binary(raw):
        raise SourceError(path, "binary file (too many control characters), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.start + 1].hex()
        raise SourceError(path, f"not valid UTF-8 (byte 0x{bad} at offset {error.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


BINARY_CONTROLS = bytes(byte for byte in range(0x20) if byte not in TEXT_CONTROLS)


def _looks_binary(raw: bytes, sample_size: int = 8192) -> bool:
    sample = raw[:sample_size]
    # Deleting the controls counts them in C: a byte-by-byte loop cost more than the decode.
    controls = len(sample) - len(sample.translate(None, BINARY_CONTROLS))
    return controls / len(sample) > BINARY_CONTROL_RATIO
