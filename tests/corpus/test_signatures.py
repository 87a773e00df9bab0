"""Stored near-duplicate signatures: written by both ingest paths, read to build the index,
the missing and stale ones computed once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.dedupe import DuplicateIndex, shingles
from corpus.ingest import IngestContext, ingest_file, ingest_paths
from corpus.models import Article, ArticleSignature
from corpus.signatures import body_md5, pack, stored_signatures, unpack
from tests.corpus.sources import ALL_FILES, copy_sources, make_outlets
from tests.curation import make_user
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODIES = [" ".join(f"word{n} of story {story} told again" for n in range(40)) for story in range(3)]


def stored() -> dict[int, frozenset[int]]:
    return {row.article_id: unpack(row.shingles) for row in ArticleSignature.objects.order_by("pk")}


def bodies() -> dict[int, frozenset[int]]:
    return {pk: shingles(body) for pk, body in Article.objects.values_list("pk", "body")}


def test_pack_and_unpack_round_trip():
    signature = frozenset({0, 4, 2**32 - 4, 123456788})
    assert unpack(pack(signature)) == signature
    assert len(pack(signature)) == 4 * len(signature)


def test_body_md5_is_what_postgresql_computes():
    body = "Kyiv \u2014 \u201cquoted\u201d \u00e9t\u00e9"
    with connection.cursor() as cursor:
        cursor.execute("SELECT md5(%s)", [body])
        assert cursor.fetchone()[0] == body_md5(body)


def test_the_articles_body_md5_follows_its_body():
    article = ArticleFactory(body=BODIES[0])
    Article.objects.filter(pk=article.pk).update(body=BODIES[1])
    assert Article.objects.get(pk=article.pk).body_md5 == body_md5(BODIES[1])


def test_staleness_is_told_without_hashing_every_body():
    """Hashing the bodies in the query cost ~1 s of every run at 100,000 articles."""
    for body in BODIES:
        ArticleFactory(body=body)
    list(stored_signatures())
    with CaptureQueriesContext(connection) as queries:
        list(stored_signatures())
    assert not any("md5(" in query["sql"].lower() for query in queries)


@pytest.mark.parametrize("batched", [True, False])
def test_both_ingest_paths_store_each_articles_signature(tmp_path, settings, batched):
    make_outlets()
    settings.SITREP_SOURCES_DIR = sources = copy_sources(tmp_path / "sources")
    context = IngestContext.build()
    if batched:
        ingest_paths(paths=[sources], context=context)
    else:
        for name in ALL_FILES:
            ingest_file(path=sources / name, context=context)
    assert len(stored()) == len(ALL_FILES)
    assert stored() == bodies()

    # A changed file replaces its article's signature.
    path = sources / ALL_FILES[0]
    path.write_text(path.read_text() + "\nA new closing paragraph, long enough to add shingles.\n")
    if batched:
        ingest_paths(paths=[sources], context=context)
    else:
        ingest_file(path=path, context=context)
    assert stored() == bodies()
    assert set(ArticleSignature.objects.values_list("body_md5", flat=True)) == {
        body_md5(body) for body in Article.objects.values_list("body", flat=True)
    }


def test_the_index_from_stored_signatures_equals_the_one_from_bodies():
    for body in BODIES:
        ArticleFactory(body=body)
    from_bodies = DuplicateIndex.from_bodies(Article.objects.values_list("pk", "body"))
    list(stored_signatures())  # fills the table
    from_stored = DuplicateIndex.from_signatures(stored_signatures())
    assert from_stored.signatures == from_bodies.signatures
    assert from_stored.postings == from_bodies.postings
    assert from_stored.dense == from_bodies.dense
    probe = shingles(BODIES[1])
    assert from_stored.similar(probe) == from_bodies.similar(probe) != []


def test_missing_signatures_are_computed_and_stored_once(monkeypatch):
    articles = [ArticleFactory(body=body) for body in BODIES]  # as loaddata leaves them
    assert not ArticleSignature.objects.exists()
    assert dict(stored_signatures()) == bodies()
    assert stored() == bodies()

    calls = []
    monkeypatch.setattr("corpus.signatures.shingles", lambda body: calls.append(body))
    with CaptureQueriesContext(connection) as queries:
        assert dict(stored_signatures()) == {a.pk: shingles(a.body) for a in articles}
    assert calls == []
    assert len(queries) == 2  # the stored signatures, then the article ids


@pytest.mark.parametrize("how", ["save", "update"])
def test_a_changed_body_makes_its_signature_stale(monkeypatch, how):
    """``save`` is what the admin's change form does; ``update`` any queryset update."""
    articles = [ArticleFactory(body=body) for body in BODIES]
    list(stored_signatures())
    edited = articles[0]
    new_body = BODIES[2] + " and a changed ending"
    if how == "save":
        edited.body = new_body
        edited.save()
    else:
        Article.objects.filter(pk=edited.pk).update(body=new_body)

    calls = []
    real = shingles
    monkeypatch.setattr("corpus.signatures.shingles", lambda body: calls.append(body) or real(body))
    assert dict(stored_signatures()) == bodies()
    assert calls == [new_body]  # only the edited article is shingled again
    assert stored() == bodies()
    calls.clear()
    list(stored_signatures())
    assert calls == []


def test_an_ingest_run_builds_its_index_from_stored_signatures(tmp_path, settings, monkeypatch):
    make_outlets()
    settings.SITREP_SOURCES_DIR = sources = copy_sources(tmp_path / "sources", ALL_FILES[:3])
    ingest_paths(paths=[sources], context=IngestContext.build())
    monkeypatch.setattr(
        "corpus.signatures.shingles", lambda body: pytest.fail("a stored body was shingled")
    )
    copy_sources(sources, ALL_FILES[3:], manifest=False)
    context = IngestContext.build()
    report = ingest_paths(paths=[sources], context=context)
    assert not report.failed
    assert set(context.index.signatures) == set(Article.objects.values_list("pk", flat=True))
    assert stored() == bodies()


def test_deleting_an_article_deletes_its_signature():
    article = ArticleFactory(body=BODIES[0])
    list(stored_signatures())
    article.delete()
    assert not ArticleSignature.objects.exists()


def test_a_body_edited_in_the_admin_is_shingled_again(client):
    article = ArticleFactory(body=BODIES[0])
    list(stored_signatures())
    client.force_login(make_user("curator"))
    url = reverse("admin:corpus_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["body"] = BODIES[1]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert dict(stored_signatures()) == {article.pk: shingles(BODIES[1])}
    assert stored() == {article.pk: shingles(BODIES[1])}
