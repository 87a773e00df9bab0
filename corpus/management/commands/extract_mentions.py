"""Re-extract mentions from article bodies after aliases changed."""

from django.core.management.base import BaseCommand

from corpus.extract import extract_mentions
from corpus.management.article_selection import add_article_option, selected_articles


class Command(BaseCommand):
    help = (
        "Find every alias of every entity again in all articles, or in the articles given "
        "with --article. Articles whose mentions would not change are not written to."
    )

    def add_arguments(self, parser):
        add_article_option(parser)

    def handle(self, *args, slugs, verbosity, **options):
        articles = selected_articles(slugs)
        result = extract_mentions(articles=articles)
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.articles} articles checked, {result.changed} changed: "
                    f"{result.created} mentions created, {result.deleted} deleted."
                )
            )
