"""Background ingest: the task ingests the files it is given, through Django's task backend."""

import pytest
from django.tasks import TaskResultStatus

from corpus.models import Article, Mention
from corpus.tasks import ingest_sources
from tests import factories

TEXT = (
    "Ukraine struck a depot in Kursk Oblast with ATACMS missiles, officials said on Tuesday.\n"
    "The strike was the first of its kind, according to a statement from the general staff.\n"
)


@pytest.mark.django_db
def test_enqueued_ingest_runs_and_reports_counts(tmp_path):
    kursk = factories.PlaceFactory(name="Kursk Oblast")
    factories.AliasFactory(entity=kursk, name="Kursk Oblast")
    source = tmp_path / "depot.txt"
    source.write_text(TEXT)
    missing = tmp_path / "missing.txt"

    result = ingest_sources.enqueue(paths=[str(source), str(missing)])

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["counts"] == {"new": 1, "failed": 1}
    assert result.return_value["failed"][0]["path"] == str(missing)
    article = Article.objects.get(source_file="depot.txt")
    assert Mention.objects.filter(article=article, entity=kursk).exists()
