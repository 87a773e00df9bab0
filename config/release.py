"""A fingerprint of the running code and templates, part of every cache key.

Cached pages and counts outlive a deploy in Redis: without this, a release that changes a
template or the shape of a cached object would serve the old page, or fail to unpickle an old
object, until the entries expire. ``SITREP_RELEASE`` names the release when the deploy knows it
(a git commit, say); otherwise the code's own files are hashed once per process.
"""

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

SOURCE_FOLDERS = ("config", "corpus", "timeline", "templates")
SOURCE_SUFFIXES = (".py", ".html")


@functools.cache
def release() -> str:
    return os.environ.get("SITREP_RELEASE") or fingerprint(Path(settings.BASE_DIR))


def fingerprint(root: Path) -> str:
    """A short hash of every Python file and template under the project's source folders."""
    digest = hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
