"""Shared helpers for the ingest tests: the five sample files and their outlets."""

import shutil
from pathlib import Path

from django.conf import settings

from tests.factories import OutletFactory

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
F000 = "000_24f7de60c40cdc68.txt"
F001 = "001_e8877d21a743ca1b.txt"
F002 = "002_cb7a18f69dde185b.txt"
F003 = "003_0ca56a9605c4e12a.txt"
F004 = "004_2735a6fb5fa214a2.txt"
ALL_FILES = [F000, F001, F002, F003, F004]


def source_text(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


def copy_sources(target: Path, names=ALL_FILES, *, manifest: bool = True) -> Path:
    """A writable copy of the sample sources (and their manifest) in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(SOURCES / name, target / name)
    if manifest:
        shutil.copyfile(SOURCES / "manifest.toml", target / "manifest.toml")
    return target


def make_outlets():
    return {
        slug: OutletFactory(name=name, slug=slug)
        for slug, name in [
            ("tampa-free-press", "Tampa Free Press"),
            ("euromaidan-press", "Euromaidan Press"),
            ("the-epoch-times", "The Epoch Times"),
        ]
    }
