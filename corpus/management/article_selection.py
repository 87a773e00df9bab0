"""The ``--article SLUG`` option shared by commands that work on all or some articles."""

from django.core.management.base import CommandError

from corpus.models import Article


def add_article_option(parser) -> None:
    parser.add_argument(
        "--article",
        action="append",
        dest="slugs",
        metavar="SLUG",
        help="Only this article (by slug); repeat for several.",
    )


def selected_articles(slugs: list[str] | None):
    """The articles named by ``slugs``, or None for all; unknown slugs are an error."""
    if not slugs:
        return None
    articles = Article.objects.filter(slug__in=slugs).order_by("pk").only("pk", "body")
    unknown = sorted(set(slugs) - set(articles.values_list("slug", flat=True)))
    if unknown:
        raise CommandError(f"No article with slug: {', '.join(unknown)}")
    return articles
