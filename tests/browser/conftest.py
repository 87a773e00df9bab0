"""Browser tests: Playwright (sync API) drives the system Chromium against Django's live server.

How to use it
-------------
* Mark the test ``@pytest.mark.browser`` (``make test-fast`` leaves these out) and ask for the
  ``page`` fixture (a fresh tab) and ``live_server`` (Django served on a free port, static files
  included; the test gets ``transactional_db`` so the server thread sees the rows it creates)::

      @pytest.mark.browser
      def test_timeline_page(page, live_server):
          EventFactory(title="Biden authorises ATACMS")
          page.goto(live_server.url + reverse("timeline:timeline"))
          assert_accessible(page)

* Data: build it with the factories in ``tests/factories.py``, or request ``corpus_fixtures`` to
  load every ``fixtures/*.json`` (the curated corpus) into the test database.
* ``assert_accessible(page)`` injects axe-core from ``node_modules/axe-core/axe.min.js`` and fails
  on any *serious* or *critical* violation, listing each rule, its help URL and the offending
  elements. ``assert_stylesheet_loaded(page)`` checks that ``site.css`` was served and applied.
* Needs: Chromium at ``/usr/bin/chromium`` (``apt-get install chromium``) and axe-core
  (``npm ci``); ``make test`` installs both (target ``browser-deps``). When either is missing the
  browser tests are skipped, except under CI (``CI`` set), where they fail.
* Playwright cannot download a browser here, so it always launches the system Chromium.
"""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}


def _missing_dependency(reason: str):
    """Skip on a developer's machine, but never let CI pass without running the browser tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required when CI is set)", pytrace=False)
    pytest.skip(reason)


def _no_static_handler(application):
    return application


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with static files served by WhiteNoise as in production.

    pytest-django wraps the server in staticfiles' StaticFilesHandler, which looks files up in
    the source folders and so 404s on the hashed names ``{% static %}`` writes when debug is
    off. Passing requests straight to Django lets WhiteNoise serve the collected files
    (``collectstatic`` has to have run, as ``make test`` does).
    """
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _missing_dependency(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    if not AXE_JS.exists():
        _missing_dependency(f"axe-core not found at {AXE_JS}: npm ci")
    # Playwright runs its own event loop; Django refuses ORM calls from a thread with a running
    # loop unless told it is safe. Test code here is synchronous, so it is.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_context(browser):
    # The pages' CSP only allows scripts from 'self'; bypassing it lets the test inject axe-core.
    # The pages themselves are still checked for CSP compliance by tests that read the header.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, accept_downloads=True
    )
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.set_default_timeout(10_000)
    yield page
    page.close()


@pytest.fixture
def corpus_fixtures(transactional_db):
    """Load the curated corpus (every fixtures/*.json); skip if there is none yet."""
    paths = sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
    if not paths:
        pytest.skip("no fixtures/*.json yet")
    call_command("loaddata", *map(str, paths), verbosity=0)
    return paths


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        impact, rule, help_text = violation["impact"], violation["id"], violation["help"]
        lines.append(f"[{impact}] {rule}: {help_text} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; return every violation it reports."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    return json.loads(result)["violations"]


def assert_accessible(page):
    """Fail on any serious or critical axe-core violation, listing them readably."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core found problems on {page.url}:\n{format_violations(blocking)}"


def assert_stylesheet_loaded(page):
    """The site stylesheet was served (hashed name, via WhiteNoise) and its rules apply."""
    rules = page.evaluate(
        """() => Array.from(document.styleSheets)
              .filter(s => s.href && s.href.includes('/static/css/site'))
              .map(s => s.cssRules.length)"""
    )
    assert rules, f"site.css is not linked or failed to load on {page.url}"
    assert rules[0] > 0, f"site.css loaded empty on {page.url}"
