"""The timeline in a real browser: filter with the form, follow a citation, export, axe."""

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible, assert_stylesheet_loaded
from tests.timeline.conftest import build_scenario

pytestmark = pytest.mark.browser


@pytest.fixture
def scenario(transactional_db):
    return build_scenario()


def event_titles(page) -> list[str]:
    return page.locator("li.event h4").all_inner_texts()


def open_timeline(page, live_server):
    response = page.goto(live_server.url + reverse("timeline:timeline"))
    assert response.status == 200
    return response


def test_filter_by_actor_and_date_range_with_the_form(page, live_server, scenario):
    open_timeline(page, live_server)
    assert len(event_titles(page)) == 5
    page.locator("summary", has_text="Actors").click()  # opens the actor facet's <details>
    page.get_by_role("checkbox", name=re.compile(r"^Joe Biden")).check()
    page.get_by_label("From", exact=True).fill("2024-11-01")
    page.get_by_label("To", exact=True).fill("2024-11-30")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"actor=joe-biden"))
    assert "date_from=2024-11-01" in page.url
    assert "date_to=2024-11-30" in page.url
    # Biden's events overlapping November: the authorisation, the warning aimed at him, and
    # the debate that ran from June to 20 November.
    assert sorted(event_titles(page)) == [
        "Biden authorises ATACMS strikes",
        "Debate over long-range weapons",
        "Putin warns the West",
    ]
    assert page.get_by_role("checkbox", name=re.compile(r"^Joe Biden")).is_checked()
    assert page.locator("svg[role=img] rect.bar").count() > 0
    assert_accessible(page)


def test_text_search_submits_with_the_keyboard(page, live_server, scenario):
    open_timeline(page, live_server)
    page.get_by_label("Words").fill("Kremlin")
    page.get_by_label("Words").press("Enter")
    page.wait_for_url(re.compile(r"q=Kremlin"))
    assert event_titles(page) == ["Putin warns the West"]


def test_a_citation_leads_to_the_article_and_its_quote(page, live_server, scenario):
    open_timeline(page, live_server)
    event = page.locator("li.event", has_text="Biden authorises ATACMS strikes")
    citation = scenario.authorisation.citations.get()
    event.get_by_role("link", name=citation.article.title).click()
    page.wait_for_url(re.compile(rf"\?cite={citation.pk}#cite-{citation.pk}$"))
    assert reverse("corpus:article-detail", kwargs={"slug": citation.article.slug}) in page.url
    assert page.locator("h1").inner_text() == citation.article.title
    assert page.get_by_text(citation.quote).first.is_visible()


def test_event_page_lists_its_evidence(page, live_server, scenario):
    open_timeline(page, live_server)
    page.get_by_role("link", name="Putin warns the West").click()
    page.wait_for_url(re.compile(reverse("timeline:event-detail", args=["putin-warns-the-west"])))
    assert page.locator("h1").inner_text() == "Putin warns the West"
    assert page.locator("li.citation").count() == 2
    assert_stylesheet_loaded(page)
    assert_accessible(page)


def test_csv_export_downloads_the_filtered_events(page, live_server, scenario):
    page.goto(live_server.url + reverse("timeline:timeline") + "?weapon=atacms")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "sitrep-events.csv"
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0][:4] == ["slug", "title", "date", "date_precision"]
    assert [row[1] for row in rows[1:]] == [
        "Ukrainian offensive in Kursk",
        "Biden authorises ATACMS strikes",
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_timeline_pages_pass_axe_at_desktop_and_phone_widths(page, live_server, scenario, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_timeline(page, live_server)
    assert_stylesheet_loaded(page)
    page.locator("details.facet summary").first.click()
    assert_accessible(page)
    # The error state and the event page too.
    page.goto(live_server.url + reverse("timeline:timeline") + "?date_from=2024-13-01&actor=x")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
    page.goto(live_server.url + scenario.offensive.get_absolute_url())
    assert_accessible(page)
    # Nothing overflows sideways at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
