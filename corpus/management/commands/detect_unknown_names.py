"""List names in article bodies that no alias knows, for the admin review queue."""

from django.core.management.base import BaseCommand, CommandError

from corpus.models import Article, UnknownName
from corpus.review import detect_unknown_names


class Command(BaseCommand):
    help = (
        "Record capitalised names, titled people and acronyms that match no alias, in all "
        "articles or those given with --article. Idempotent; dismissed names stay dismissed."
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
        result = detect_unknown_names(articles=articles)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(result.summary()))
        if verbosity >= 2:
            for name in UnknownName.objects.pending()[:50]:
                self.stdout.write(
                    f"  {name.frequency:4d}  {name.name}  ({name.get_pattern_display()})"
                )
