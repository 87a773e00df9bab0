"""List names in article bodies that no alias knows, for the admin review queue."""

from django.core.management.base import BaseCommand

from corpus.management.article_selection import add_article_option, selected_articles
from corpus.models import UnknownName
from corpus.review import detect_unknown_names


class Command(BaseCommand):
    help = (
        "Record capitalised names, titled people and acronyms that match no alias, in all "
        "articles or those given with --article. Idempotent; dismissed names stay dismissed."
    )

    def add_arguments(self, parser):
        add_article_option(parser)

    def handle(self, *args, slugs, verbosity, **options):
        articles = selected_articles(slugs)
        result = detect_unknown_names(articles=articles)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(result.summary()))
        if verbosity >= 2:
            for name in UnknownName.objects.pending()[:50]:
                self.stdout.write(
                    f"  {name.frequency:4d}  {name.name}  ({name.get_pattern_display()})"
                )
