"""The entity page's sections: the costliest (co-mentions, activity, article count) cached per
entity, and the query shapes that keep the others cheap at 100,000 articles."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.choices import EntityType
from corpus.dossier import (
    articles_mentioning,
    articles_naming,
    event_dates,
    events_involving,
    events_of,
    statement_lines,
    statements_by,
)
from corpus.extract import extract_mentions
from corpus.models import Article, Entity
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    CitationFactory,
    EventActorFactory,
    EventFactory,
    MentionFactory,
    PlaceFactory,
)
from timeline.choices import ActorRole

pytestmark = pytest.mark.django_db


def get(client, entity):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(entity.get_absolute_url())
    assert response.status_code == 200
    return response, len(captured.captured_queries)


@pytest.fixture
def zelensky():
    person = ActorFactory(name="Volodymyr Zelensky", slug="volodymyr-zelensky")
    article = ArticleFactory(body="Volodymyr Zelensky met Emmanuel Macron in Paris.")
    MentionFactory(article=article, entity=person, text="Volodymyr Zelensky")
    return person


@pytest.mark.usefixtures("no_page_cache")
def test_second_entity_page_reads_its_aggregates_from_the_cache(client, zelensky):
    first, cold = get(client, zelensky)
    second, warm = get(client, zelensky)
    assert warm <= cold - 3  # co-mentions, activity by day, article count
    assert second.context["activity"] == first.context["activity"]
    assert second.context["article_count"] == first.context["article_count"] == 1
    assert second.context["activity"].text


def test_entities_do_not_share_an_entry(client, zelensky):
    get(client, zelensky)
    other = ActorFactory(name="Joe Biden", slug="joe-biden")
    assert get(client, other)[0].context["activity"].bars == []


def test_extraction_shows_fresh_co_mentions_on_the_next_request(client, zelensky):
    """Mentions are written with raw SQL (no signals), so extract_mentions bumps the version."""
    ActorFactory(name="Emmanuel Macron", slug="emmanuel-macron")
    assert get(client, zelensky)[0].context["co_mentions"] == []
    extract_mentions()
    co_mentions = get(client, zelensky)[0].context["co_mentions"]
    assert [(e.name, e.shared_articles) for e in co_mentions] == [("Emmanuel Macron", 1)]


def test_articles_naming_folds_a_copy_only_when_its_canonical_article_names_the_entity(
    zelensky,
):
    named = ArticleFactory(body="Volodymyr Zelensky spoke.")
    MentionFactory(article=named, entity=zelensky, text="Volodymyr Zelensky")
    folded = ArticleFactory(body="Volodymyr Zelensky spoke.", duplicate_of=named)
    MentionFactory(article=folded, entity=zelensky, text="Volodymyr Zelensky")
    unnamed = ArticleFactory(body="Someone spoke.")
    kept = ArticleFactory(body="Volodymyr Zelensky spoke.", duplicate_of=unnamed)
    MentionFactory(article=kept, entity=zelensky, text="Volodymyr Zelensky")
    paris = Article.objects.get(body__startswith="Volodymyr Zelensky met")  # the fixture's
    expected = set(Article.objects.mentioning(zelensky).fold_duplicates())
    assert set(articles_naming(zelensky)) == expected == {paris, named, kept}
    assert articles_naming(zelensky).count() == len(expected)
    # One probe per row ("the canonical article names it too"), not a hash of every id.
    sql = str(articles_naming(zelensky).query)
    assert sql.count("EXISTS(") == 2 and "IN (SELECT" not in sql


def test_statements_come_from_the_events_the_actor_speaks_at():
    speaker, other = ActorFactory(), ActorFactory()
    spoken = EventFactory(date=date(2024, 5, 2))
    EventActorFactory(event=spoken, actor=speaker, role=ActorRole.SPEAKER)
    EventActorFactory(event=spoken, actor=other, role=ActorRole.SUBJECT)
    subject_only = EventFactory(date=date(2024, 5, 1))
    EventActorFactory(event=subject_only, actor=speaker, role=ActorRole.SUBJECT)
    later, earlier = CitationFactory(event=spoken), CitationFactory(event=spoken)
    CitationFactory(event=subject_only)
    assert set(statements_by(speaker)) == {later, earlier}
    assert list(statements_by(other)) == []
    # The speaker's events as an init plan (ANY(ARRAY(...))), so an actor with no statements
    # does not walk every event by date.
    assert "ANY(ARRAY(SELECT" in str(statements_by(speaker).query)


def test_co_mentions_count_articles_not_mentions_and_break_ties_by_name(zelensky):
    biden, macron, abe = (
        ActorFactory(name="Joe Biden"),
        ActorFactory(name="Emmanuel Macron"),
        ActorFactory(name="Aaron Abe"),
    )
    for names in ((biden, biden, macron), (biden, abe), (zelensky,)):
        article = ArticleFactory(body="x " * 50)
        MentionFactory(article=article, entity=zelensky, start=0, text="x")
        for start, other in enumerate(names, start=2):
            if other != zelensky:
                MentionFactory(article=article, entity=other, start=start * 2, text="x")
    ArticleFactory()  # names nobody
    lonely = ArticleFactory(body="x " * 5)
    MentionFactory(article=lonely, entity=macron, start=0, text="x")  # without Zelensky
    rows = [(e.name, e.shared_articles) for e in Entity.objects.co_mentioned_with(zelensky)]
    assert rows == [("Joe Biden", 2), ("Aaron Abe", 1), ("Emmanuel Macron", 1)]
    assert [e.name for e in Entity.objects.co_mentioned_with(zelensky, limit=2)] == [
        "Joe Biden",
        "Aaron Abe",
    ]
    filtered = Entity.objects.filter(name__startswith="A").co_mentioned_with(zelensky)
    assert [(e.name, e.shared_articles) for e in filtered] == [("Aaron Abe", 1)]
    # Distinct names per article from the (article, entity) index: no COUNT(DISTINCT) sort.
    query = Entity.objects.co_mentioned_with(zelensky).raw_query
    assert "LATERAL" in query and "COUNT(DISTINCT" not in query.upper()


def test_an_event_line_says_dates_type_status_roles_and_place_but_not_the_entity_itself():
    kursk = PlaceFactory(name="Kursk Oblast")
    speaker = ActorFactory()
    ranged = EventFactory(
        event_type="strike",
        status="confirmed",
        date=date(2024, 11, 17),
        end_date=date(2024, 11, 19),
        place=kursk,
    )
    EventActorFactory(event=ranged, actor=speaker, role=ActorRole.SPEAKER)
    EventActorFactory(event=ranged, actor=speaker, role=ActorRole.SUBJECT)
    (line,) = events_involving(speaker)
    assert line.url == ranged.get_absolute_url()
    assert line.when == (
        '<time datetime="2024-11-17">17 Nov 2024</time>\N{EN DASH}'
        '<time datetime="2024-11-19">19 Nov 2024</time>'
    )
    assert line.facts == "Strike · Confirmed · as speaker, subject · Kursk Oblast"
    (there,) = events_involving(kursk)
    assert there.facts == "Strike · Confirmed"  # the place page does not repeat its own name
    assert str(there.when) == '<time datetime="2024-11-17">17 Nov 2024</time>\N{EN DASH}' + (
        '<time datetime="2024-11-19">19 Nov 2024</time>'
    )
    ranged.end_date = None
    assert event_dates(ranged) == '<time datetime="2024-11-17">17 Nov 2024</time>'


def test_the_event_list_markup_is_unchanged_by_building_its_lines_in_python(client):
    """The compact timeline reads as the template wrote it before (escaping included)."""
    place = PlaceFactory(name="Sudzha <town>")
    actor = ActorFactory(name="A. Speaker")
    event = EventFactory(
        title="Talks & <b>more</b>",
        event_type="statement",
        status="claimed",
        date=date(2024, 11, 1),
        date_precision="month",
        place=place,
    )
    EventActorFactory(event=event, actor=actor, role=ActorRole.SPEAKER)
    text = client.get(actor.get_absolute_url()).content.decode()
    assert (
        '<span class="when"><time datetime="2024-11">Nov 2024</time></span>\n'
        f'      <span class="what"><a href="{event.get_absolute_url()}">'
        "Talks &amp; &lt;b&gt;more&lt;/b&gt;</a>\n"
        "      <small>Statement · Claimed · as speaker · Sudzha &lt;town&gt;</small></span>"
    ) in text


def test_statement_lines_carry_the_quote_its_event_and_its_article_with_links():
    speaker = ActorFactory()
    event = EventFactory(title="Talks", date=date(2024, 11, 1), date_precision="month")
    EventActorFactory(event=event, actor=speaker, role=ActorRole.SPEAKER)
    cited = CitationFactory(event=event, quote="We will answer.")
    unsourced = CitationFactory(event=event, article=ArticleFactory(outlet=None))
    lines = {line.pk: line for line in statement_lines(speaker)}
    line = lines[cited.pk]
    assert (line.quote, line.event_title, line.article_title) == (
        "We will answer.",
        "Talks",
        cited.article.title,
    )
    assert line.event_url == event.get_absolute_url()
    assert line.article_url == cited.article.get_absolute_url()
    assert line.outlet_name == cited.article.outlet.name
    assert line.when == '<time datetime="2024-11">Nov 2024</time>'
    assert lines[unsourced.pk].outlet_name is None


def test_article_lines_count_every_mention_and_show_the_first_three_in_order(zelensky):
    body = "Zelensky said. " * 5
    article = ArticleFactory(body=body, published_on=date(2030, 1, 1), outlet=None)
    for start in (60, 0, 15, 45, 30):  # saved out of order
        MentionFactory(article=article, entity=zelensky, start=start, text="Zelensky")
    other = ActorFactory()
    MentionFactory(article=article, entity=other, start=9, text="said")  # not counted
    first, *_rest = articles_mentioning(zelensky)
    assert first.title == article.title and first.url == article.get_absolute_url()
    assert first.outlet_name is None and first.published_on == date(2030, 1, 1)
    assert first.mention_count == 5
    assert len(first.snippets) == 3
    assert all("<mark>Zelensky</mark>" in snippet for snippet in first.snippets)
    # The first three by position: the third ends before the fourth mention begins.
    assert first.snippets[0].startswith("<mark>Zelensky</mark> said.")


def test_an_entitys_events_are_asked_of_its_own_relation_only():
    """An OR of all three left PostgreSQL guessing, and it walked every event by date."""
    actor_sql = str(events_of(EntityType.ACTOR, 1).query)
    weapon_sql = str(events_of(EntityType.WEAPON, 1).query)
    place_sql = str(events_of(EntityType.PLACE, 1).query)
    assert "timeline_eventactor" in actor_sql and "timeline_eventweapon" not in actor_sql
    assert "timeline_eventweapon" in weapon_sql and "timeline_eventactor" not in weapon_sql
    assert "timeline_eventactor" not in place_sql and "timeline_eventweapon" not in place_sql
    assert " OR " not in actor_sql + weapon_sql + place_sql
