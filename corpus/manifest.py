"""The sources manifest: what a curator knows about a source file that its text does not say.

``fixtures/sources/manifest.toml`` (format in README, "Manifest") has one table per file,
keyed by the file's source name (its path relative to the sources folder):

    [files."001_e8877d21a743ca1b.txt"]
    outlet = "euromaidan-press"
    published_on = 2024-11-17
    precision = "day"

The text wins over the manifest: a manifest value is used only where the text is silent.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug

from corpus.choices import DatePrecision

MANIFEST_NAME = "manifest.toml"
KEYS = {"title", "outlet", "url", "published_on", "precision", "authors", "language"}


class ManifestError(ValueError):
    """The manifest cannot be read or holds a bad value; the message says where."""


@dataclass(frozen=True)
class ManifestEntry:
    title: str = ""
    outlet: str = ""
    url: str = ""
    published_on: date | None = None
    precision: str = DatePrecision.DAY
    authors: tuple[str, ...] = ()
    language: str = ""


@dataclass
class Manifest:
    path: Path | None = None
    entries: dict[str, ManifestEntry] = field(default_factory=dict)

    def get(self, source_file: str) -> ManifestEntry:
        return self.entries.get(source_file, ManifestEntry())

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ManifestError(f"{path}: no such manifest") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ManifestError(f"{path}: cannot read the manifest: {error}") from None
        files = data.get("files", {})
        unknown_tables = set(data) - {"files"}
        if unknown_tables or not isinstance(files, dict):
            raise ManifestError(f'{path}: only [files."NAME"] tables are allowed')
        entries = {
            name: _entry(values, where=f'{path} [files."{name}"]') for name, values in files.items()
        }
        return cls(path=path, entries=entries)

    @classmethod
    def for_sources(cls, sources_dir: Path) -> "Manifest":
        """The manifest beside the sources, or an empty one when there is none."""
        path = sources_dir / MANIFEST_NAME
        return cls.load(path) if path.exists() else cls()


def _entry(values: object, *, where: str) -> ManifestEntry:
    if not isinstance(values, dict):
        raise ManifestError(f"{where}: must be a table")
    unknown = sorted(set(values) - KEYS)
    if unknown:
        raise ManifestError(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key in ("title", "outlet", "url", "precision", "language"):
        if key in values and not isinstance(values[key], str):
            raise ManifestError(f"{where}: {key} must be a string")
    published_on = values.get("published_on")
    if published_on is not None and (
        not isinstance(published_on, date) or hasattr(published_on, "hour")
    ):
        raise ManifestError(f"{where}: published_on must be a date such as 2024-11-18")
    precision = values.get("precision", DatePrecision.DAY)
    if precision not in DatePrecision.values:
        raise ManifestError(f"{where}: precision must be one of {', '.join(DatePrecision.values)}")
    if published_on and not _starts_period(published_on, precision):
        raise ManifestError(f"{where}: a {precision} precision date is the first day of its period")
    authors = values.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, str) and a for a in authors):
        raise ManifestError(f"{where}: authors must be a list of names")
    try:
        if values.get("outlet"):
            validate_slug(values["outlet"])
        if values.get("url"):
            URLValidator(schemes=["http", "https"])(values["url"])
    except ValidationError as error:
        raise ManifestError(f"{where}: {' '.join(error.messages)}") from None
    return ManifestEntry(
        title=" ".join(values.get("title", "").split()),
        outlet=values.get("outlet", ""),
        url=values.get("url", ""),
        published_on=published_on,
        precision=precision,
        authors=tuple(authors),
        language=values.get("language", ""),
    )


def _starts_period(day: date, precision: str) -> bool:
    if precision == DatePrecision.MONTH:
        return day.day == 1
    if precision == DatePrecision.YEAR:
        return (day.month, day.day) == (1, 1)
    return True
