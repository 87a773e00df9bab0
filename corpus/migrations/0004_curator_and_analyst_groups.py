"""Create the Curator and Analyst groups with their admin permissions.

Curator: add/change/delete entities (and the Actor / Weapon system / Place proxies), aliases,
events, event actors, event weapons, citations, unknown names and entity redirects; view and
change articles (provenance fields are read-only in admin) and add/change outlets, but never
delete either, since citations and mentions hang on them; view mentions (they are rebuilt by
re-extraction, not edited by hand).
Analyst: view-only on every corpus and timeline model.

The lists are frozen here on purpose: a migration must not follow later code changes.
"""

from django.db import migrations

ALL = ("add", "change", "delete", "view")

CURATOR = {
    "corpus": {
        "entity": ALL,
        "actor": ALL,
        "weaponsystem": ALL,
        "place": ALL,
        "alias": ALL,
        "unknownname": ALL,
        "unknownnameoccurrence": ("view",),
        "entityredirect": ALL,
        "article": ("view", "change"),
        "outlet": ("view", "add", "change"),
        "mention": ("view",),
    },
    "timeline": {
        "event": ALL,
        "eventactor": ALL,
        "eventweapon": ALL,
        "citation": ALL,
    },
}


def ensure_permissions(apps):
    """Permissions are normally made after migrate; the groups need them now."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for label in ("corpus", "timeline"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    curator, _ = Group.objects.get_or_create(name="Curator")
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, models in CURATOR.items()
        for model, actions in models.items()
        for action in actions
    ]
    curator.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames
        ]
    )

    analyst, _ = Group.objects.get_or_create(name="Analyst")
    analyst.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["corpus", "timeline"], codename__startswith="view_"
        )
    )


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Analyst"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("corpus", "0003_review_queue_and_redirects"),
        ("timeline", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
