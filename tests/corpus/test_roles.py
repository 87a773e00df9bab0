"""Roles: the Curator and Analyst groups from the data migration, their boundaries in admin,
and the create_user command."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from corpus.models import Article, Entity, UnknownName
from tests.curation import PASSWORD, make_user, row_counts
from tests.factories import ActorFactory, ArticleFactory, EventFactory, MentionFactory

pytestmark = pytest.mark.django_db


def perms(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_curator_group_edits_curation_records_but_never_deletes_articles():
    curator = perms("Curator")
    for model in ["entity", "actor", "weaponsystem", "place", "alias", "event", "eventactor"]:
        assert {f"add_{model}", f"change_{model}", f"delete_{model}"} <= curator
    assert {"add_citation", "change_unknownname", "delete_eventweapon"} <= curator
    assert {"view_article", "change_article"} <= curator
    assert not {"delete_article", "add_article", "delete_outlet", "change_mention"} & curator


def test_analyst_group_only_views():
    analyst = perms("Analyst")
    assert analyst and all(codename.startswith("view_") for codename in analyst)
    assert {"view_article", "view_event", "view_citation", "view_actor"} <= analyst


def test_curator_cannot_delete_an_article(client):
    client.force_login(make_user("curator"))
    article = ArticleFactory()
    url = reverse("admin:corpus_article_delete", args=[article.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()
    changelist = client.get(reverse("admin:corpus_article_changelist"))
    choices = changelist.context["action_form"].fields["action"].choices
    assert [name for name, _ in choices] == ["", "reextract_selected"]


def test_curator_can_edit_an_entity_and_merge(client):
    client.force_login(make_user("curator"))
    first, second = ActorFactory(), ActorFactory()
    response = client.post(
        reverse("admin:corpus_actor_changelist"),
        {
            "action": "merge_selected",
            "_selected_action": [first.pk, second.pk],
            "post": "yes",
            "survivor": first.pk,
        },
    )
    assert response.status_code == 302
    assert not Entity.objects.filter(pk=second.pk).exists()


def test_analyst_sees_admin_but_cannot_change_anything(client):
    client.force_login(make_user("analyst"))
    actor = ActorFactory(name="Peskov")
    event = EventFactory()
    assert client.get(reverse("admin:corpus_actor_changelist")).status_code == 200
    view = client.get(reverse("admin:corpus_actor_change", args=[actor.pk]))
    assert view.status_code == 200 and not view.context["has_change_permission"]
    before = row_counts()
    url = reverse("admin:corpus_actor_change", args=[actor.pk])
    assert client.post(url, {"name": "Changed"}).status_code == 403
    assert client.get(reverse("admin:corpus_actor_add")).status_code == 403
    assert client.post(reverse("admin:timeline_event_delete", args=[event.pk])).status_code == 403
    assert client.post(reverse("admin:corpus_alias_reextract_all")).status_code == 403
    assert row_counts() == before
    actor.refresh_from_db()
    assert actor.name == "Peskov"


def test_analyst_cannot_run_actions(client):
    client.force_login(make_user("analyst"))
    first, second = ActorFactory(), ActorFactory()
    MentionFactory(entity=first)
    changelist = client.get(reverse("admin:corpus_actor_changelist"))
    assert changelist.context["action_form"] is None
    before = row_counts()
    for action in ["merge_selected", "delete_unused"]:
        client.post(
            reverse("admin:corpus_actor_changelist"),
            {"action": action, "_selected_action": [first.pk, second.pk], "post": "yes"},
        )
    assert row_counts() == before
    review = reverse("admin:corpus_unknownname_add_alias")
    assert client.get(review).status_code == 403
    UnknownName.objects.create(name="Le Figaro", normalised="le figaro", pattern="multiword")
    queue = client.get(reverse("admin:corpus_unknownname_changelist"))
    assert queue.status_code == 200 and b"Le Figaro" in queue.content
    assert b"create entity" not in queue.content


def test_create_user_makes_a_staff_user_in_a_role(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    out = io.StringIO()
    call_command(
        "create_user",
        username="ana",
        email="ana@example.org",
        role="curator",
        password_stdin=True,
        stdout=out,
    )
    user = get_user_model().objects.get(username="ana")
    assert user.is_staff and not user.is_superuser
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["Curator"]
    assert "Created curator 'ana'" in out.getvalue()


def test_create_user_admin_role_is_a_superuser(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
    call_command(
        "create_user", username="root2", role="admin", password_stdin=True, stdout=io.StringIO()
    )
    assert get_user_model().objects.get(username="root2").is_superuser


@pytest.mark.parametrize(
    ("stdin", "flag", "message"),
    [
        ("short\n", True, "Password refused"),
        ("\n", True, "empty"),
        ("", False, "--password-stdin"),  # no terminal to prompt on
    ],
)
def test_create_user_refuses_bad_passwords_and_missing_input(monkeypatch, stdin, flag, message):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(CommandError, match=message):
        call_command("create_user", username="bob", role="analyst", password_stdin=flag)
    assert not get_user_model().objects.filter(username="bob").exists()


def test_create_user_refuses_an_existing_username(monkeypatch):
    make_user("analyst", username="taken")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_user", username="taken", role="curator", password_stdin=True)
