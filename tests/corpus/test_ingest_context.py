"""The settings an ingest transaction runs with, and the slugs a chunk's new articles avoid."""

import pytest
from django.db import connection, transaction

from corpus.ingest_context import relax_commit, taken_slugs
from tests.factories import ArticleFactory

# Outside a test transaction: the settings are only changed for an outermost transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def server_has_lz4() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        return cursor.fetchone()[0]


def test_an_ingest_transaction_commits_without_waiting_and_compresses_with_lz4_if_it_can():
    default = setting("default_toast_compression")
    with transaction.atomic():
        relax_commit()
        assert setting("synchronous_commit") == "off"
        assert setting("default_toast_compression") == ("lz4" if server_has_lz4() else default)
    # SET LOCAL: the connection's next transactions are as before.
    assert setting("synchronous_commit") == "on"
    assert setting("default_toast_compression") == default


def test_taken_slugs_are_the_stored_slugs_starting_with_a_base():
    """As slug__startswith: every slug the base begins, no other (an underscore is no wildcard,
    a neighbour in sort order is not taken)."""
    for slug in ["kursk", "kursk-2", "kursk-strike", "kursl", "kurs", "a_b", "a_b-3", "axb", "z"]:
        ArticleFactory(slug=slug)
    assert taken_slugs({"kursk", "a_b", "nothing-here"}) == {
        "kursk",
        "kursk-2",
        "kursk-strike",
        "a_b",
        "a_b-3",
    }
    assert taken_slugs({"z"}) == {"z"}
    assert taken_slugs(set()) == set()
