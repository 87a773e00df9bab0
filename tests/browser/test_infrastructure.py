"""The browser-test set-up itself: Chromium starts, static files are served, axe-core runs."""

import pytest
from django.urls import reverse

from tests.browser.conftest import (
    _missing_dependency,
    assert_accessible,
    assert_stylesheet_loaded,
    axe_violations,
)


@pytest.mark.browser
def test_home_page_loads_its_stylesheet_and_passes_axe(page, live_server):
    """The live server serves site.css under its hashed name and axe-core can be injected."""
    response = page.goto(live_server.url + reverse("home"))
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert_stylesheet_loaded(page)
    assert_accessible(page)


@pytest.mark.browser
def test_axe_reports_a_serious_violation(page, live_server):
    """assert_accessible would catch a real problem: an image with no text alternative."""
    page.goto(live_server.url + reverse("home"))
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = 'x.png';"
        " document.querySelector('main').append(i); }"
    )
    ids = {v["id"] for v in axe_violations(page) if v["impact"] in {"serious", "critical"}}
    assert "image-alt" in ids
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_a_missing_browser_fails_under_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required when CI is set"):
        _missing_dependency("Chromium not found")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        _missing_dependency("Chromium not found")
