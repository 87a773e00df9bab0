"""Helpers for the curation tests: users in a role, and row counts to compare."""

import importlib

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from corpus.models import Alias, Entity, EntityRedirect, Mention, UnknownName
from timeline.models import Citation, Event, EventActor, EventWeapon

PASSWORD = "a-long-test-passphrase-42"


def ensure_role_groups() -> None:
    """The groups come from a data migration; a transactional test's flush removes them."""
    if Group.objects.filter(name__in=["Curator", "Analyst"]).count() < 2:
        migration = importlib.import_module("corpus.migrations.0004_curator_and_analyst_groups")
        migration.create_groups(django_apps, None)


def make_user(role: str, username: str | None = None):
    """A staff user in the Curator or Analyst group (made by the data migration)."""
    ensure_role_groups()
    user = get_user_model().objects.create_user(
        username=username or role, password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=role.capitalize()))
    return user


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in [
            Entity,
            Alias,
            Mention,
            EventActor,
            EventWeapon,
            Event,
            Citation,
            EntityRedirect,
            UnknownName,
        ]
    }
