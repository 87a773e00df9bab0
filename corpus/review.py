"""The review queue of unknown names: detection after ingest, and the curators' three answers.

``detect_unknown_names`` records every candidate name (see ``corpus.names``) that no alias
knows, with each place it occurs. It is idempotent: the occurrences of the scanned articles
are replaced, counts recomputed, and a name keeps its status, so a dismissed name stays
dismissed however often detection runs. A new name that no article uses any more (because
an alias now covers it) leaves the queue; resolved names keep their occurrences as a record.

A curator then creates an entity from a name, adds it as an alias of an existing entity, or
dismisses it; the first two re-extract the mentions of the articles where the name occurs.
"""

from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from corpus.extract import ExtractResult, MentionExtractor, extract_mentions
from corpus.merge import typed
from corpus.models import (
    Alias,
    Article,
    Entity,
    ReviewStatus,
    UnknownName,
    UnknownNameOccurrence,
)
from corpus.names import Candidate, context, find_candidates, normalise
from corpus.usage import counted


@dataclass
class ReviewResult:
    articles: int = 0
    occurrences: int = 0
    names: int = 0
    new_names: int = 0
    dropped_names: int = 0

    def summary(self) -> str:
        return (
            f"{self.occurrences} occurrences of {self.names} unknown names in "
            f"{self.articles} articles; {self.new_names} new names, "
            f"{self.dropped_names} no longer unknown."
        )


@dataclass
class ResolveResult:
    entity: Entity
    aliases_added: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    extract: ExtractResult = field(default_factory=ExtractResult)


def unknown_candidates(body: str, extractor: MentionExtractor) -> list[Candidate]:
    """Candidates whose head word (the last one: a surname, "Times", "Oblast") no alias covers.

    "Vladimir Putin" is known when "Putin" is; "Kursk Oblast" is not known just because
    "Kursk" is, so it is listed as a possible alias.
    """
    known = [(match.start, match.end) for match in extractor.find(body)]
    candidates = []
    for candidate in find_candidates(body):
        head_start = candidate.start + candidate.text.rfind(" ") + 1
        if not any(start < candidate.end and head_start < end for start, end in known):
            candidates.append(candidate)
    return candidates


def detect_unknown_names(*, articles=None) -> ReviewResult:
    """Record the unknown names of ``articles`` (all articles when None); idempotent."""
    extractor = MentionExtractor.from_db()
    scan_all = articles is None
    if scan_all:
        articles = Article.objects.order_by("pk").only("pk", "body")
    result = ReviewResult()
    found: dict[str, Candidate] = {}
    rows: list[tuple[int, str, Candidate, str]] = []
    article_ids = []
    for article in articles:
        result.articles += 1
        article_ids.append(article.pk)
        for candidate in unknown_candidates(article.body, extractor):
            key = normalise(candidate.text)
            found.setdefault(key, candidate)
            rows.append(
                (article.pk, key, candidate, context(article.body, candidate.start, candidate.end))
            )

    with transaction.atomic():
        names = _names_for(found, result)
        stale = UnknownNameOccurrence.objects.exclude(unknown_name__status=ReviewStatus.RESOLVED)
        if not scan_all:
            stale = stale.filter(article_id__in=article_ids)
        touched = set(stale.values_list("unknown_name_id", flat=True).distinct())
        stale.delete()
        occurrences = UnknownNameOccurrence.objects.bulk_create(
            [
                UnknownNameOccurrence(
                    unknown_name=names[key],
                    article_id=article_id,
                    start=candidate.start,
                    end=candidate.end,
                    text=candidate.text,
                    context=snippet[:400],
                )
                for article_id, key, candidate, snippet in rows
            ],
            ignore_conflicts=True,
        )
        result.occurrences = len(occurrences)
        result.names = len(names)
        touched |= {name.pk for name in names.values()}
        _recount(touched)
        dropped = UnknownName.objects.filter(pk__in=touched, status=ReviewStatus.NEW, frequency=0)
        result.dropped_names = dropped.delete()[0]
    return result


def _names_for(found: dict[str, Candidate], result: ReviewResult) -> dict[str, UnknownName]:
    existing = UnknownName.objects.in_bulk(list(found), field_name="normalised")
    missing = [
        UnknownName(name=c.text, normalised=key, pattern=c.pattern, title=c.title[:200])
        for key, c in found.items()
        if key not in existing
    ]
    # A concurrent run may have added the same name: ignore it and read everything back.
    UnknownName.objects.bulk_create(missing, ignore_conflicts=True)
    result.new_names = len(missing)
    return UnknownName.objects.in_bulk(list(found), field_name="normalised")


def _recount(pks) -> None:
    occurrences = UnknownNameOccurrence.objects.filter(unknown_name=OuterRef("pk")).order_by()
    frequency = occurrences.values("unknown_name").annotate(n=Count("pk")).values("n")
    articles = (
        occurrences.values("unknown_name").annotate(n=Count("article", distinct=True)).values("n")
    )
    UnknownName.objects.filter(pk__in=pks).update(
        frequency=Coalesce(Subquery(frequency, output_field=IntegerField()), Value(0)),
        article_count=Coalesce(Subquery(articles, output_field=IntegerField()), Value(0)),
    )


# --- the curators' answers ----------------------------------------------------------------


def create_entity_from_name(
    *, unknown_name: UnknownName, entity: Entity, user=None
) -> ResolveResult:
    """Save ``entity`` (built and validated by the caller), alias it, resolve the name."""
    with transaction.atomic():
        entity.full_clean()
        entity.save()
        if user is not None:
            _log(user, typed(entity), ADDITION, f"Created from the unknown name “{unknown_name}”.")
        return _resolve(unknown_names=[unknown_name], entity=entity, user=user)


def add_as_alias(*, unknown_names: list[UnknownName], entity: Entity, user=None) -> ResolveResult:
    """Make each name (as spelt in every article) an alias of ``entity``; resolve them."""
    with transaction.atomic():
        return _resolve(unknown_names=unknown_names, entity=entity, user=user)


def _resolve(*, unknown_names: list[UnknownName], entity: Entity, user) -> ResolveResult:
    result = ResolveResult(entity=entity)
    pks = [name.pk for name in unknown_names]
    spellings = {name.name for name in unknown_names}
    spellings |= set(
        UnknownNameOccurrence.objects.filter(unknown_name__in=pks).values_list("text", flat=True)
    )
    existing = set(entity.aliases.values_list("name", flat=True))
    new = sorted(spelling for spelling in spellings if spelling not in existing)
    Alias.objects.bulk_create([Alias(entity=entity, name=spelling) for spelling in new])
    result.aliases_added = new
    result.names = [name.name for name in unknown_names]
    UnknownName.objects.filter(pk__in=pks).update(
        status=ReviewStatus.RESOLVED, resolved_entity=entity
    )
    if user is not None:
        if new:
            _log(user, typed(entity), CHANGE, f"Added aliases from the review queue: {new}.")
        for name in unknown_names:
            _log(user, name, CHANGE, f"Resolved as {entity.name} (pk {entity.pk}).")
    articles = Article.objects.filter(unknown_name_occurrences__unknown_name__in=pks).distinct()
    result.extract = extract_mentions(articles=articles.only("pk", "body").order_by("pk"))
    return result


def dismiss_names(*, unknown_names: list[UnknownName], user=None) -> int:
    """Mark names as not worth an entity; detection leaves them dismissed."""
    with transaction.atomic():
        pks = [name.pk for name in unknown_names]
        count = UnknownName.objects.filter(pk__in=pks).update(
            status=ReviewStatus.DISMISSED, resolved_entity=None
        )
        if user is not None:
            for name in unknown_names:
                _log(user, name, CHANGE, "Dismissed from the review queue.")
    return count


def reextract_mentions(*, articles=None, user=None) -> ExtractResult:
    """Re-extract mentions from the current aliases (all articles when None), with a log."""
    with transaction.atomic():
        result = extract_mentions(articles=articles)
        if user is not None and articles is not None:
            message = (
                f"Re-extracted mentions: {result.created} written, {result.deleted} removed "
                f"in {result.changed} changed of {result.articles} articles."
            )
            LogEntry.objects.log_actions(
                user_id=user.pk, queryset=list(articles), action_flag=CHANGE, change_message=message
            )
    return result


def extract_summary(result: ExtractResult) -> str:
    net = result.created - result.deleted
    return (
        f"Re-extracted mentions in {counted(result.articles, 'article')}: "
        f"{result.changed} changed, {counted(result.created, 'mention')} written, "
        f"{result.deleted} removed (net {net:+d})."
    )


def _log(user, obj, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[obj], action_flag=flag, change_message=message
    )
