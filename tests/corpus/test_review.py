"""The review queue: finding unknown names, and creating, aliasing or dismissing them."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from corpus.choices import ActorKind, EntityType
from corpus.models import Alias, Entity, Mention, ReviewStatus, UnknownName, UnknownNameOccurrence
from corpus.names import find_candidates, normalise
from corpus.review import add_as_alias, create_entity_from_name, detect_unknown_names, dismiss_names
from tests.curation import make_user, row_counts
from tests.factories import ActorFactory, AliasFactory, ArticleFactory

pytestmark = pytest.mark.django_db

BARROT = (
    "French Foreign Minister Jean-Noël Barrot stated that France remains open. "
    "President-elect Donald Trump said nothing, the AP reported. "
    "The Associated Press and the NYT cited an ICBM test and NATO officials."
)


def texts(body):
    return {(c.text, c.pattern) for c in find_candidates(body)}


def test_titled_people_keep_their_title_as_a_suggested_role():
    found = {c.text: c.title for c in find_candidates(BARROT) if c.pattern == "titled"}
    assert found == {
        "Jean-Noël Barrot": "French Foreign Minister",
        "Donald Trump": "President-elect",
    }


def test_acronyms_and_capitalised_runs_are_candidates():
    found = texts(BARROT)
    assert {
        ("AP", "acronym"),
        ("NYT", "acronym"),
        ("ICBM", "acronym"),
        ("NATO", "acronym"),
    } <= found
    assert ("Associated Press", "multiword") in found  # leading "The" trimmed


def test_plural_acronyms_possessives_and_sentence_starters_are_trimmed():
    found = texts(
        "According to Tampa Free Press\u2019s report, ICBMs were moved. Neither Ukrainian."
    )
    assert ("Tampa Free Press", "multiword") in found
    assert ("ICBM", "acronym") in found
    assert not any(text.startswith(("According", "Neither")) for text, _ in found)


def test_headline_lines_are_not_read_as_names():
    assert texts("French and UK Clarifications on Long-Range Missiles Remain Open\n") == {
        ("UK", "acronym")
    }


def test_normalised_form_ignores_case_dots_and_quotes():
    assert normalise("U.S.") == normalise("US") == "us"
    assert normalise("O\u2019Brien  Smith") == "o'brien smith"


def test_detection_records_unknown_names_with_context_and_frequency():
    article = ArticleFactory(body=BARROT)
    ArticleFactory(body="Jean-Noël Barrot met NATO envoys.")
    nato = ActorFactory(name="North Atlantic Treaty Organization", kind=ActorKind.ORGANISATION)
    AliasFactory(entity=nato, name="NATO")

    result = detect_unknown_names()

    names = {name.name: name for name in UnknownName.objects.all()}
    assert "NATO" not in names  # a known alias
    barrot = names["Jean-Noël Barrot"]
    assert (barrot.frequency, barrot.article_count, barrot.pattern) == (2, 2, "titled")
    assert barrot.title == "French Foreign Minister"
    occurrence = barrot.occurrences.get(article=article)
    assert article.body[occurrence.start : occurrence.end] == "Jean-Noël Barrot"
    assert "[Jean-Noël Barrot] stated" in occurrence.context
    assert result.new_names == len(names)
    assert result.occurrences == UnknownNameOccurrence.objects.count()


def test_a_known_surname_makes_the_full_name_known():
    ArticleFactory(body="Russian President Vladimir Putin warned again.")
    AliasFactory(entity=ActorFactory(name="Putin"), name="Putin")
    detect_unknown_names()
    assert not UnknownName.objects.filter(normalised="vladimir putin").exists()


def test_detection_is_idempotent():
    ArticleFactory(body=BARROT)
    detect_unknown_names()
    before = row_counts(), UnknownNameOccurrence.objects.count()
    frequencies = dict(UnknownName.objects.values_list("normalised", "frequency"))
    result = detect_unknown_names()
    assert (row_counts(), UnknownNameOccurrence.objects.count()) == before
    assert dict(UnknownName.objects.values_list("normalised", "frequency")) == frequencies
    assert result.new_names == 0


def test_dismissed_name_stays_dismissed_when_detection_runs_again():
    article = ArticleFactory(body=BARROT)
    detect_unknown_names()
    trump = UnknownName.objects.get(normalised="donald trump")
    dismiss_names(unknown_names=[trump])
    detect_unknown_names(articles=[article])
    detect_unknown_names()
    trump.refresh_from_db()
    assert trump.status == ReviewStatus.DISMISSED
    assert trump.frequency == 1


def test_a_name_that_an_alias_now_covers_leaves_the_queue():
    article = ArticleFactory(body=BARROT)
    detect_unknown_names()
    AliasFactory(entity=ActorFactory(name="Barrot"), name="Barrot")
    result = detect_unknown_names(articles=[article])
    assert not UnknownName.objects.filter(normalised="jean-noël barrot").exists()
    assert result.dropped_names == 1


def test_create_entity_from_name_adds_entity_alias_and_mentions():
    article = ArticleFactory(body=BARROT)
    detect_unknown_names()
    barrot = UnknownName.objects.get(normalised="jean-noël barrot")
    user = make_user("curator")
    before = row_counts()

    entity = Entity(
        entity_type=EntityType.ACTOR,
        kind=ActorKind.PERSON,
        name="Jean-Noël Barrot",
        slug="jean-noel-barrot",
        role="French Foreign Minister",
    )
    result = create_entity_from_name(unknown_name=barrot, entity=entity, user=user)

    after = row_counts()
    assert after["Entity"] == before["Entity"] + 1
    assert after["Alias"] == before["Alias"] + 1
    assert after["Mention"] == before["Mention"] + 1
    mention = Mention.objects.get(entity=entity)
    assert (mention.article_id, mention.text) == (article.pk, "Jean-Noël Barrot")
    barrot.refresh_from_db()
    assert (barrot.status, barrot.resolved_entity_id) == (ReviewStatus.RESOLVED, entity.pk)
    assert result.extract.created >= 1
    assert LogEntry.objects.filter(user=user).count() == 3  # entity added, aliases, name


def test_create_entity_with_a_kind_of_another_type_is_refused():
    ArticleFactory(body=BARROT)
    detect_unknown_names()
    barrot = UnknownName.objects.get(normalised="jean-noël barrot")
    before = row_counts()
    entity = Entity(entity_type=EntityType.PLACE, kind=ActorKind.PERSON, name="X", slug="x")
    with pytest.raises(Exception, match="place kind"):
        create_entity_from_name(unknown_name=barrot, entity=entity)
    assert row_counts() == before


def test_add_as_alias_resolves_all_spellings_and_reextracts():
    ArticleFactory(body="The U.S. and the US agree.")
    detect_unknown_names()
    us = UnknownName.objects.get(normalised="us")
    assert us.frequency == 2
    america = ActorFactory(name="United States of America", kind=ActorKind.GOVERNMENT)
    before = row_counts()
    result = add_as_alias(unknown_names=[us], entity=america)
    assert set(result.aliases_added) == {"U.S.", "US"}
    assert row_counts()["Alias"] == before["Alias"] + 2
    assert Mention.objects.filter(entity=america).count() == 2
    us.refresh_from_db()
    assert us.status == ReviewStatus.RESOLVED


def test_resolved_names_keep_their_occurrences_when_detection_runs_again():
    ArticleFactory(body=BARROT)
    detect_unknown_names()
    barrot = UnknownName.objects.get(normalised="jean-noël barrot")
    add_as_alias(unknown_names=[barrot], entity=ActorFactory(name="J.-N. Barrot"))
    detect_unknown_names()
    barrot.refresh_from_db()
    assert barrot.status == ReviewStatus.RESOLVED
    assert barrot.occurrences.count() == 1


def test_detect_unknown_names_command_reports_and_refuses_unknown_slugs():
    article = ArticleFactory(body=BARROT)
    out = io.StringIO()
    call_command("detect_unknown_names", article=[article.slug], stdout=out)
    assert "unknown names in 1 articles" in out.getvalue()
    assert Alias.objects.count() == 0
    with pytest.raises(Exception, match="No article with slug: nope"):
        call_command("detect_unknown_names", article=["nope"], stdout=out)


def test_a_resolved_name_cannot_be_created_twice_in_admin(client):
    client.force_login(make_user("curator"))
    ArticleFactory(body=BARROT)
    detect_unknown_names()
    barrot = UnknownName.objects.get(normalised="jean-noël barrot")
    add_as_alias(unknown_names=[barrot], entity=ActorFactory(name="Barrot"))
    before = row_counts()
    url = reverse("admin:corpus_unknownname_create_entity", args=[barrot.pk])
    response = client.post(
        url, {"entity_type": "actor", "kind": "person", "name": "J", "slug": "j"}, follow=True
    )
    assert "resolved already" in str(next(iter(response.context["messages"])))
    assert row_counts() == before
