"""Cache keys carry the release, so a deploy never serves what the previous code cached."""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from config.cache import cache_key
from config.pagecache import page_key
from config.release import fingerprint, release
from tests.config.test_settings import UNUSED_DB, _import_settings


@pytest.fixture
def named_release(monkeypatch):
    def use(name):
        monkeypatch.setenv("SITREP_RELEASE", name)
        release.cache_clear()

    yield use
    release.cache_clear()


def test_a_template_change_makes_a_new_fingerprint(tmp_path):
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text("<p>one</p>")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "notes.txt").write_text("not code")
    before = fingerprint(tmp_path)
    (tmp_path / "corpus" / "notes.txt").write_text("still not code")
    assert fingerprint(tmp_path) == before
    template.write_text("<p>two</p>")
    assert fingerprint(tmp_path) != before


def test_without_a_name_the_release_is_this_checkouts_fingerprint(monkeypatch):
    monkeypatch.delenv("SITREP_RELEASE", raising=False)
    release.cache_clear()
    try:
        assert release() == fingerprint(Path(__file__).resolve().parents[2])
    finally:
        release.cache_clear()


def test_page_and_count_keys_change_with_the_release(named_release, rf: RequestFactory):
    named_release("r1")
    request = rf.get("/timeline/")
    request.user = AnonymousUser()
    first = page_key(request), cache_key(["timeline"])
    named_release("r2")
    second = page_key(request), cache_key(["timeline"])
    assert "r1" in first[0] and "r2" in second[0]
    assert first[0] != second[0] and first[1] != second[1]


def test_the_page_cache_is_off_by_default_with_debug_on():
    script = "import config.settings as s; print(s.SITREP_PAGE_CACHE_SECONDS)"
    common = {"DATABASE_URL": UNUSED_DB, "DJANGO_SECRET_KEY": "k"}
    assert _import_settings(DJANGO_DEBUG="1", **common, script=script).stdout.strip() == "0"
    assert _import_settings(**common, script=script).stdout.strip() == "300"
