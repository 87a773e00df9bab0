"""Near-duplicate groups in the database: ``Article.duplicate_of`` points at the canonical copy.

Two operations keep the groups flat (every member points at the canonical article, which
points nowhere): joining a new or changed article to the groups of its near-duplicates, and
taking a changed article out of its group. ``link_near_duplicates`` and ``release_from_group``
do them for one file with a few queries each; ``DuplicateGroups`` does them for a chunk of
files in memory, with the same rules in the same order, and writes the result in one statement.
"""

from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.db.models import Q

from corpus.dedupe import Candidate, canonical_rank, choose_canonical
from corpus.models import Article

CANDIDATE_FIELDS = (
    "pk",
    "duplicate_of",
    "source_file",
    "word_count",
    "authors",
    "published_on",
    "outlet_id",
    "url",
)


def candidate(
    pk: int,
    source_file: str,
    word_count: int,
    authors: list[str],
    published_on: date | None,
    outlet_id: int | None,
    url: str,
) -> Candidate:
    """What ranks an article within its group, from its stored (or about to be stored) fields."""
    score = sum(map(bool, (authors, published_on, outlet_id, url)))
    return Candidate(pk, source_file, word_count, score)


def _candidates(query) -> list[Candidate]:
    return [candidate(pk, *rest) for pk, _, *rest in query.values_list(*CANDIDATE_FIELDS)]


def _make_canonical(canonical: int, members: Iterable[int]) -> None:
    others = [pk for pk in members if pk != canonical]
    Article.objects.filter(pk__in=others).exclude(duplicate_of=canonical).update(
        duplicate_of=canonical
    )
    Article.objects.filter(pk=canonical, duplicate_of__isnull=False).update(duplicate_of=None)


def link_near_duplicates(article_id: int, similar: Iterable[int]) -> int | None:
    """Join ``article_id`` and its near-duplicates (with their groups) into one group under
    the best-ranked member. Returns the canonical article's pk, or None without duplicates."""
    similar = list(similar)
    if not similar:
        return None
    heads = {
        dup_of or pk
        for pk, dup_of in Article.objects.filter(pk__in=similar).values_list("pk", "duplicate_of")
    }
    group = _candidates(
        Article.objects.filter(Q(pk__in=heads) | Q(duplicate_of__in=heads) | Q(pk=article_id))
    )
    canonical = choose_canonical(group).pk
    _make_canonical(canonical, (candidate.pk for candidate in group))
    return canonical


def release_from_group(article_id: int) -> None:
    """Take a changed article out of its group before it is compared again: it stops being a
    duplicate, and if it was canonical the best of its duplicates takes its place."""
    Article.objects.filter(pk=article_id, duplicate_of__isnull=False).update(duplicate_of=None)
    rest = _candidates(Article.objects.filter(duplicate_of=article_id))
    if rest:
        _make_canonical(choose_canonical(rest).pk, (candidate.pk for candidate in rest))


class DuplicateGroups:
    """The groups a chunk of files touches, changed in memory with the rules above."""

    def __init__(self) -> None:
        self.candidates: dict[int, Candidate] = {}
        self.duplicate_of: dict[int, int | None] = {}
        self.members: dict[int, set[int]] = {}  # canonical pk -> its duplicates
        self.stored: dict[int, int | None] = {}  # duplicate_of as loaded, to write the changes
        # Canonical pks that may not be their group's best (a member's ranking fields changed,
        # or a stored group's canonical is not its best): ``link`` ranks their members, once.
        self.unranked: set[int] = set()

    @classmethod
    def load(
        cls, pks: Iterable[int], pending: "DuplicateGroups | None" = None
    ) -> "DuplicateGroups":
        """The articles ``pks`` with every member of their groups, in two queries.

        ``pending`` are the groups of a chunk being written meanwhile: its rows are taken as
        they will be once it is committed, whether or not the queries already see them.
        """
        groups = cls()
        pks = list(pks)
        if not pks:
            return groups
        later = pending.duplicate_of if pending else {}
        links = dict(Article.objects.filter(pk__any=pks).values_list("pk", "duplicate_of"))
        links.update((pk, later[pk]) for pk in pks if pk in later)
        heads = {duplicate_of or pk for pk, duplicate_of in links.items()}
        if not heads:
            return groups
        # Two index look-ups (primary key, duplicate_of); a subquery in the OR would scan.
        rows = Article.objects.filter(Q(pk__any=heads) | Q(duplicate_of__any=heads))
        members = {
            pk: (candidate(pk, *rest), duplicate_of)
            for pk, duplicate_of, *rest in rows.values_list(*CANDIDATE_FIELDS)
        }
        members.update((pk, (pending.candidates[pk], later[pk])) for pk in later)
        for pk, (member, duplicate_of) in members.items():
            if pk in heads or duplicate_of in heads:
                groups.put(member, duplicate_of)
                groups.stored[pk] = duplicate_of
        return groups

    def put(self, member: Candidate, duplicate_of: int | None = None) -> None:
        """Add an article, or give a known one its new ranking fields (a changed file)."""
        before = self.candidates.get(member.pk)
        self.candidates[member.pk] = member
        if member.pk not in self.duplicate_of:
            self._point(member.pk, duplicate_of)
        head = self.duplicate_of[member.pk]
        if head is not None:
            # A member that now outranks its canonical (or joins before the canonical is
            # known, as ``load`` may add them) leaves the group to be ranked at its next link.
            if head not in self.candidates or canonical_rank(member) < canonical_rank(
                self.candidates[head]
            ):
                self.unranked.add(head)
        elif self.members.get(member.pk) and (
            before is None or canonical_rank(member) > canonical_rank(before)
        ):
            self.unranked.add(member.pk)  # a canonical that got worse, or came after its members

    def release(self, pk: int) -> None:
        """As ``release_from_group``."""
        self._point(pk, None)
        self.unranked.discard(pk)
        rest = list(self.members.get(pk, ()))
        if rest:
            # The only place a whole group is ranked: its canonical left.
            best = choose_canonical(self.candidates[m] for m in rest).pk
            self._make_canonical(best, rest)
            self.unranked.discard(best)

    def link(self, pk: int, similar: Iterable[int]) -> None:
        """As ``link_near_duplicates``: the best of the merged group is the best of the new
        article and each group's best, which is its canonical unless ``put`` marked it
        unranked, so only the members of groups whose canonical lost are visited."""
        # An indexed article deleted since is skipped, as the database query would skip it.
        known = (other for other in similar if other in self.duplicate_of)
        heads = {self.duplicate_of[other] or other for other in known}
        if not heads:
            return
        bests = {head: self._best_of(head) for head in heads}
        best = choose_canonical([self.candidates[pk], *bests.values()]).pk
        for head in bests:
            if head != best:
                self._make_canonical(best, [head, *self.members.get(head, ())])
        self._make_canonical(best, [pk])
        self.unranked.difference_update(heads)

    def _best_of(self, head: int) -> Candidate:
        if head not in self.unranked:
            return self.candidates[head]
        return choose_canonical(
            self.candidates[member] for member in (head, *self.members.get(head, ()))
        )

    def changed(self) -> list[tuple[int, int | None]]:
        """Stored articles whose link changed, as (pk, new duplicate_of)."""
        return [
            (pk, self.duplicate_of[pk])
            for pk, before in self.stored.items()
            if self.duplicate_of[pk] != before
        ]

    def write_changes(self) -> None:
        changes = self.changed()
        if not changes:
            return
        table = connection.ops.quote_name(Article._meta.db_table)
        column = connection.ops.quote_name(Article._meta.get_field("duplicate_of").column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {column} = v.duplicate_of "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, duplicate_of) "
                f"WHERE {table}.id = v.id",
                [[pk for pk, _ in changes], [target for _, target in changes]],
            )

    def _make_canonical(self, canonical: int, members: Iterable[int]) -> None:
        for pk in members:
            target = None if pk == canonical else canonical
            if self.duplicate_of[pk] != target:
                self._point(pk, target)

    def _point(self, pk: int, duplicate_of: int | None) -> None:
        before = self.duplicate_of.get(pk)
        if before is not None:
            self.members[before].discard(pk)
        self.duplicate_of[pk] = duplicate_of
        if duplicate_of is not None:
            self.members.setdefault(duplicate_of, set()).add(pk)
