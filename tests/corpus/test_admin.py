"""Corpus admin: changelists, merge action, typed autocomplete, safe delete, concurrency,
history and re-extraction, driven through the admin as a curator."""

import itertools
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.models import Alias, Article, Entity, EntityRedirect, Mention, Outlet
from corpus.review import detect_unknown_names
from tests.curation import make_user, row_counts
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    EventActorFactory,
    EventFactory,
    MentionFactory,
    OutletFactory,
    PlaceFactory,
    WeaponFactory,
)

pytestmark = pytest.mark.django_db

SERIAL = itertools.count(100)
CHANGELISTS = [
    "corpus_entity",
    "corpus_actor",
    "corpus_weaponsystem",
    "corpus_place",
    "corpus_alias",
    "corpus_article",
    "corpus_outlet",
    "corpus_mention",
    "corpus_entityredirect",
    "corpus_unknownname",
    "corpus_unknownnameoccurrence",
]


@pytest.fixture
def curator(client):
    user = make_user("curator")
    client.force_login(user)
    return user


def build_rows(n: int):
    for _ in range(n):
        surname = "".join(chr(97 + int(d)) for d in str(next(SERIAL))).capitalize()
        detect_rows = ArticleFactory(body=f"Foreign Minister Jean {surname} met the AP staff.")
        actor, place, weapon = ActorFactory(), PlaceFactory(), WeaponFactory()
        AliasFactory(entity=actor)
        article = ArticleFactory()
        MentionFactory(article=article, entity=actor)
        EventActorFactory(actor=actor, event=EventFactory(place=place))
        EntityRedirect.objects.create(old_slug=f"old-{actor.slug}", entity=actor)
        del weapon, detect_rows
    detect_unknown_names()


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(client, curator, name):
    url = reverse(f"admin:{name}_changelist")
    build_rows(2)
    few = queries_for(client, url)
    build_rows(6)
    assert queries_for(client, url) == few
    assert few <= 12


def test_entity_changelist_shows_counts_and_a_public_link(client, curator):
    actor = ActorFactory(name="Dmitry Peskov")
    MentionFactory(entity=actor)
    AliasFactory(entity=actor, name="Peskov")
    response = client.get(reverse("admin:corpus_actor_changelist"))
    content = response.content.decode()
    assert f'href="{actor.get_absolute_url()}"' in content
    assert 'class="field-mention_count">1<' in content
    assert 'class="field-alias_count">1<' in content


@pytest.mark.parametrize("name", ["corpus_entity", "corpus_actor", "corpus_outlet"])
def test_changelists_show_country_and_kind_names_and_sort_by_country(client, curator, name):
    if name == "corpus_outlet":
        OutletFactory(name="Kyiv Independent", country="UA")
        OutletFactory(name="Nowhere News", country="")
    else:
        ActorFactory(name="Kyiv Independent", country="UA", kind="media")
        ActorFactory(name="Nowhere News", country="")
    url = reverse(f"admin:{name}_changelist")
    response = client.get(url)
    content = response.content.decode()
    assert 'class="field-country_name">Ukraine<' in content
    assert 'class="field-country_name">-<' in content  # the admin's mark for no value
    if name != "corpus_outlet":
        assert 'class="field-kind_name">Media outlet<' in content
    index = response.context["cl"].list_display.index("country_name")
    descending = client.get(url, {"o": f"-{index}"}).context["cl"].result_list
    assert [row.name for row in descending] == ["Kyiv Independent", "Nowhere News"]


def test_typed_changelist_filters_by_the_kinds_of_its_type(client, curator):
    ActorFactory(name="Peskov", kind="person")
    ActorFactory(name="Kremlin", kind="government")
    response = client.get(reverse("admin:corpus_actor_changelist"), {"kind": "government"})
    assert [a.name for a in response.context["cl"].result_list] == ["Kremlin"]
    kind_filter = response.context["cl"].filter_specs[0]
    assert [value for value, _ in kind_filter.lookup_choices] == [
        "person",
        "government",
        "organisation",
        "armed_force",
        "media",
    ]


def test_article_change_form_keeps_provenance_read_only(client, curator):
    article = ArticleFactory()
    response = client.get(reverse("admin:corpus_article_change", args=[article.pk]))
    form = response.context["adminform"].form
    assert not {"source_file", "checksum", "raw_text"} & set(form.fields)
    assert article.checksum in response.content.decode()
    assert f'href="{article.get_absolute_url()}"' in response.content.decode()


def test_autocomplete_for_event_actor_offers_actors_only(client, curator):
    ActorFactory(name="Kursk Governor")
    PlaceFactory(name="Kursk Oblast")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "timeline",
            "model_name": "eventactor",
            "field_name": "actor",
            "term": "Kursk",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Kursk Governor"]
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "timeline", "model_name": "event", "field_name": "place", "term": "Kursk"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Kursk Oblast"]


# --- merge ----------------------------------------------------------------------------------


def test_merge_action_shows_what_will_move_then_merges(client, curator):
    survivor = ActorFactory(name="Joe Biden")
    merged = ActorFactory(name="Biden")
    MentionFactory(entity=merged, start=5)
    MentionFactory(entity=merged, start=9)
    EventActorFactory(actor=merged)
    url = reverse("admin:corpus_actor_changelist")
    data = {"action": "merge_selected", "_selected_action": [survivor.pk, merged.pk]}

    page = client.post(url, data)
    assert page.status_code == 200
    assert page.templates[0].name == "admin/corpus/merge_confirmation.html"
    rows = dict((entity.name, usage) for entity, usage in page.context["rows"])
    assert (rows["Biden"].mentions, rows["Biden"].event_roles) == (2, 1)
    assert b"Mentions" in page.content and b"Event roles" in page.content
    before = row_counts()

    response = client.post(url, {**data, "post": "yes", "survivor": survivor.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:corpus_actor_change", args=[survivor.pk])
    after = row_counts()
    assert after["Entity"] == before["Entity"] - 1
    assert after["Mention"] == before["Mention"]
    assert Mention.objects.filter(entity=survivor).count() == 2
    assert EntityRedirect.objects.get(old_slug=merged.slug).entity_id == survivor.pk
    assert LogEntry.objects.filter(user=curator, object_id=str(survivor.pk)).exists()


def test_merge_confirmation_queries_do_not_grow_with_the_selection(client, curator):
    url = reverse("admin:corpus_actor_changelist")

    def confirmation_queries(count: int) -> int:
        actors = [ActorFactory() for _ in range(count)]
        for actor in actors:
            MentionFactory(entity=actor)
            EventActorFactory(actor=actor)
        data = {"action": "merge_selected", "_selected_action": [a.pk for a in actors]}
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, data).status_code == 200
        return len(captured)

    assert confirmation_queries(2) == confirmation_queries(6)


def test_merge_across_types_is_refused_with_a_message(client, curator):
    actor, place = ActorFactory(name="Kursk Governor"), PlaceFactory(name="Kursk")
    before = row_counts()
    response = client.post(
        reverse("admin:corpus_entity_changelist"),
        {"action": "merge_selected", "_selected_action": [actor.pk, place.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("different types" in m for m in messages)
    assert row_counts() == before


def test_merge_needs_two_entities(client, curator):
    actor = ActorFactory()
    response = client.post(
        reverse("admin:corpus_actor_changelist"),
        {"action": "merge_selected", "_selected_action": [actor.pk]},
        follow=True,
    )
    assert any("two or more" in str(m) for m in response.context["messages"])


# --- delete -----------------------------------------------------------------------------------


def test_delete_page_refuses_an_entity_in_use_and_says_what_uses_it(client, curator):
    actor = ActorFactory(name="Dmitry Peskov")
    MentionFactory(entity=actor)
    EventActorFactory(actor=actor, event=EventFactory(title="Peskov warns"))
    url = reverse("admin:corpus_actor_delete", args=[actor.pk])
    page = client.get(url)
    content = page.content.decode()
    assert "Dmitry Peskov: used by 1 mention in 1 article, 1 event role" in content
    assert "Peskov warns" in content
    client.post(url, {"post": "yes"})
    assert Entity.objects.filter(pk=actor.pk).exists()


def test_bulk_delete_refuses_entities_in_use_and_lists_them(client, curator):
    used, unused = ActorFactory(name="Used"), ActorFactory(name="Unused")
    MentionFactory(entity=used)
    before = row_counts()
    response = client.post(
        reverse("admin:corpus_actor_changelist"),
        {"action": "delete_unused", "_selected_action": [used.pk, unused.pk], "post": "yes"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        "Nothing was deleted" in m and "Used: used by 1 mention in 1 article" in m for m in messages
    )
    assert row_counts() == before


def test_bulk_delete_of_unused_entities_deletes_and_logs(client, curator):
    unused = ActorFactory(name="Unused")
    AliasFactory(entity=unused, name="Unused")
    url = reverse("admin:corpus_actor_changelist")
    data = {"action": "delete_unused", "_selected_action": [unused.pk]}
    assert client.post(url, data).status_code == 200  # Django's confirmation page
    client.post(url, {**data, "post": "yes"})
    assert not Entity.objects.filter(pk=unused.pk).exists()
    assert Alias.objects.count() == 0
    assert LogEntry.objects.filter(object_id=str(unused.pk), user=curator).exists()


# --- history and concurrent edits ----------------------------------------------------------


def form_data(response) -> dict:
    """The POST body a browser would send for an admin change form as loaded."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    for formset in [inline.formset for inline in response.context["inline_admin_formsets"]]:
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, "")
        for subform in formset.forms:
            if subform.instance.pk is None:
                continue
            for name, field in subform.fields.items():
                value = subform.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                data[subform.add_prefix(name)] = "" if value is None else value
    return data


def test_concurrent_entity_edits_do_not_overwrite_each_other(client, curator):
    actor = ActorFactory(name="Peskov")
    url = reverse("admin:corpus_actor_change", args=[actor.pk])
    first, second = form_data(client.get(url)), form_data(client.get(url))
    assert re.fullmatch(r"[0-9a-f]{32}", first["row_version"])

    assert client.post(url, {**first, "name": "Dmitry Peskov"}).status_code == 302
    response = client.post(url, {**second, "name": "D. Peskov"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "changed by someone else" in errors[0] and "curator" in errors[0]
    actor.refresh_from_db()
    assert actor.name == "Dmitry Peskov"
    entries = LogEntry.objects.filter(object_id=str(actor.pk), action_flag=CHANGE)
    assert entries.count() == 1


def test_concurrent_alias_edits_in_the_inline_are_caught(client, curator):
    actor = ActorFactory(name="Zelensky")
    alias = AliasFactory(entity=actor, name="Zelenskyy")
    url = reverse("admin:corpus_actor_change", args=[actor.pk])
    data = form_data(client.get(url))
    Alias.objects.filter(pk=alias.pk).update(name="Zelenskiy")  # someone else's save
    prefix = next(k for k in data if k.endswith("-id") and data[k] == alias.pk)[: -len("-id")]

    response = client.post(url, {**data, f"{prefix}-name": "Zelensky Volodymyr"})

    assert response.status_code == 200
    alias.refresh_from_db()
    assert alias.name == "Zelenskiy"


def test_entity_type_cannot_change_while_events_use_it_in_a_typed_role(client, curator):
    actor = ActorFactory(name="Kursk")
    EventActorFactory(actor=actor)
    url = reverse("admin:corpus_entity_change", args=[actor.pk])
    data = form_data(client.get(url))
    response = client.post(url, {**data, "entity_type": "place", "kind": "region"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["entity_type"]
    assert "cannot change while it has 1 event role" in errors[0]
    actor.refresh_from_db()
    assert actor.entity_type == "actor"


def test_history_shows_who_changed_an_entity(client, curator):
    actor = ActorFactory(name="Peskov")
    url = reverse("admin:corpus_actor_change", args=[actor.pk])
    client.post(url, {**form_data(client.get(url)), "role": "Kremlin spokesperson"})
    history = client.get(reverse("admin:corpus_actor_history", args=[actor.pk]))
    assert b"curator" in history.content and b"Changed Role" in history.content
    # The plain entity admin sends its history to the typed page, where the log lives.
    response = client.get(reverse("admin:corpus_entity_history", args=[actor.pk]))
    assert response["Location"] == reverse("admin:corpus_actor_history", args=[actor.pk])


# --- re-extract ----------------------------------------------------------------------------


def test_reextract_action_on_selected_articles_is_idempotent(client, curator):
    article = ArticleFactory(body="Storm Shadow and SCALP are the same missile.")
    other = ArticleFactory(body="Storm Shadow again.")
    weapon = WeaponFactory(name="Storm Shadow")
    AliasFactory(entity=weapon, name="SCALP")
    url = reverse("admin:corpus_article_changelist")
    data = {"action": "reextract_selected", "_selected_action": [article.pk]}

    response = client.post(url, data, follow=True)

    assert Mention.objects.filter(article=article).count() == 2
    assert Mention.objects.filter(article=other).count() == 0
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Re-extracted mentions in 1 article: 1 changed, 2 mentions written, 0 removed (net +2)."
    ]
    assert LogEntry.objects.filter(object_id=str(article.pk), user=curator).exists()
    before = row_counts()
    response = client.post(url, data, follow=True)
    assert row_counts() == before
    assert "0 changed" in str(next(iter(response.context["messages"])))


def test_reextract_all_button_covers_every_article(client, curator):
    ArticleFactory(body="Kursk Oblast is in Russia.")
    ArticleFactory(body="Russia again.")
    AliasFactory(entity=PlaceFactory(name="Russia"), name="Russia")
    page = client.get(reverse("admin:corpus_alias_changelist"))
    button = reverse("admin:corpus_alias_reextract_all")
    assert button.encode() in page.content
    response = client.post(button, follow=True)
    assert Mention.objects.count() == 2
    assert "in 2 articles" in str(next(iter(response.context["messages"])))
    assert client.get(reverse("admin:corpus_article_reextract_all")).status_code == 405


def test_outlet_and_article_admin_need_no_delete(client, curator):
    article = ArticleFactory()
    assert (
        not client.get(reverse("admin:corpus_article_changelist"))
        .context["cl"]
        .model_admin.has_delete_permission(client.get("/").wsgi_request)
    )
    assert Article.objects.filter(pk=article.pk).exists() and Outlet.objects.exists()


def test_untyped_entity_autocomplete_labels_results_with_their_type(client, curator):
    ActorFactory(name="North Korea", slug="north-korea-state", kind="government")
    PlaceFactory(name="North Korea", slug="north-korea", kind="country")
    page = client.get(reverse("admin:corpus_alias_add"))
    url = reverse("admin:corpus_entity_typed_autocomplete")
    assert f'data-ajax--url="{url}"'.encode() in page.content
    response = client.get(
        url, {"app_label": "corpus", "model_name": "alias", "field_name": "entity", "term": "Korea"}
    )
    assert sorted(r["text"] for r in response.json()["results"]) == [
        "North Korea (Actor · Government / state)",
        "North Korea (Place · Country)",
    ]


def test_a_place_cannot_be_put_inside_a_place_inside_it(client, curator):
    russia = PlaceFactory(name="Russia", kind="country")
    kursk = PlaceFactory(name="Kursk Oblast", parent=russia)
    url = reverse("admin:corpus_place_change", args=[russia.pk])
    response = client.post(url, {**form_data(client.get(url)), "parent": kursk.pk})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["parent"]
    assert "cannot lie inside itself" in errors[0]
    russia.refresh_from_db()
    assert russia.parent is None
