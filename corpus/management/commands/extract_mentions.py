"""Re-extract mentions from article bodies after aliases changed."""

from django.core.management.base import BaseCommand, CommandError

from corpus.extract import extract_mentions
from corpus.models import Article


class Command(BaseCommand):
    help = (
        "Find every alias of every entity again in all articles, or in the articles given "
        "with --article. Articles whose mentions would not change are not written to."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article",
            action="append",
            dest="slugs",
            metavar="SLUG",
            help="Only this article (by slug); repeat for several.",
        )

    def handle(self, *args, slugs, verbosity, **options):
        articles = None
        if slugs:
            articles = Article.objects.filter(slug__in=slugs).order_by("pk").only("pk", "body")
            unknown = sorted(set(slugs) - set(articles.values_list("slug", flat=True)))
            if unknown:
                raise CommandError(f"No article with slug: {', '.join(unknown)}")
        result = extract_mentions(articles=articles)
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.articles} articles checked, {result.changed} changed: "
                    f"{result.created} mentions created, {result.deleted} deleted."
                )
            )
