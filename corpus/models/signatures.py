"""Each article's near-duplicate signature, stored so an ingest run need not shingle every body."""

from django.db import models

from corpus.models.articles import Article


class ArticleSignature(models.Model):
    """An article's sampled shingle hashes (``corpus/dedupe.py``), and the body they came from.

    Derived data: ingest writes it with the article, and the near-duplicate index computes and
    stores the missing or stale ones (``corpus/signatures.py``). Fixtures do not carry it, so
    it has no natural key; ``loaddata`` and ``load_corpus`` both leave it empty.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="signature"
    )
    shingles = models.BinaryField(help_text="The sorted hashes, packed as unsigned 32-bit ints.")
    body_md5 = models.CharField(
        max_length=32, help_text="MD5 of the body the hashes were computed from."
    )

    def __str__(self):
        return f"signature of article {self.article_id}"
