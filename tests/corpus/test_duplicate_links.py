"""In-memory near-duplicate groups: the same links as ranking every member at every step."""

import random
from collections.abc import Iterable

import pytest

from corpus import dedupe, duplicate_links
from corpus.dedupe import Candidate, choose_canonical
from corpus.duplicate_links import DuplicateGroups


class NaiveGroups(DuplicateGroups):
    """The reference: every link ranks the whole merged group, every put just stores."""

    def put(self, member: Candidate, duplicate_of: int | None = None) -> None:
        self.candidates[member.pk] = member
        if member.pk not in self.duplicate_of:
            self._point(member.pk, duplicate_of)

    def release(self, pk: int) -> None:
        self._point(pk, None)
        rest = list(self.members.get(pk, ()))
        if rest:
            self._make_canonical(choose_canonical(self.candidates[m] for m in rest).pk, rest)

    def link(self, pk: int, similar: Iterable[int]) -> None:
        known = (other for other in similar if other in self.duplicate_of)
        heads = {self.duplicate_of[other] or other for other in known}
        if not heads:
            return
        group = {pk, *heads}.union(*(self.members.get(head, ()) for head in heads))
        best = choose_canonical(self.candidates[member] for member in group)
        self._make_canonical(best.pk, group)


def random_candidate(rng: random.Random, pk: int) -> Candidate:
    # Few distinct word counts and scores, so the later keys of the ranking decide often.
    return Candidate(pk, f"{rng.randrange(10**6):06d}-{pk}.txt", rng.randrange(3), rng.randrange(3))


def stored_groups(rng: random.Random, count: int) -> list[tuple[Candidate, int | None]]:
    """Rows as ``load`` may find them: flat groups whose canonical is not always the best
    (bulk-loaded links), in any order, members sometimes before their canonical."""
    rows = []
    heads: list[int] = []
    for pk in range(1, count + 1):
        head = rng.choice(heads) if heads and rng.random() < 0.6 else None
        if head is None:
            heads.append(pk)
        rows.append((random_candidate(rng, pk), head))
    rng.shuffle(rows)
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_random_operations_give_the_same_links_as_ranking_every_member(seed):
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    fast, naive = DuplicateGroups(), NaiveGroups()
    for member, head in stored_groups(rng, 30):
        fast.put(member, head)
        naive.put(member, head)
    assert fast.duplicate_of == naive.duplicate_of
    next_pk = 31
    for step in range(300):
        known = list(naive.duplicate_of)
        operation = rng.choice(["new", "new", "changed", "put", "release", "link member"])
        if operation == "new":
            pk, next_pk = next_pk, next_pk + 1
            calls = [
                ("put", random_candidate(rng, pk)),
                ("link", rng.sample(known, rng.randrange(4))),
            ]
        elif operation == "changed":
            pk = rng.choice(known)
            others = [other for other in known if other != pk]
            similar = rng.sample(others, rng.randrange(4))
            calls = [("put", random_candidate(rng, pk)), ("release", None), ("link", similar)]
        elif operation == "put":  # new ranking fields without leaving the group
            pk = rng.choice(known)
            calls = [("put", random_candidate(rng, pk))]
        elif operation == "release":
            pk = rng.choice(known)
            calls = [("release", None)]
        else:  # a member linked to other groups without being released first
            members = [other for other in known if naive.duplicate_of[other] is not None]
            if not members:
                continue
            pk = rng.choice(members)
            others = [other for other in known if other != pk]
            calls = [("link", rng.sample(others, rng.randrange(1, 4)))]
        for name, argument in calls:
            for groups in (fast, naive):
                if name == "put":
                    groups.put(argument)
                elif name == "release":
                    groups.release(pk)
                else:
                    groups.link(pk, argument)
            assert fast.duplicate_of == naive.duplicate_of, (step, operation, name, pk)


def test_linking_into_a_big_group_ranks_only_the_canonicals(monkeypatch):
    groups = DuplicateGroups()
    groups.put(Candidate(1, "a.txt", 900, 4))
    for pk in range(2, 2001):
        groups.put(Candidate(pk, f"{pk}.txt", pk % 800, 2), 1)
    groups.put(Candidate(3000, "b.txt", 950, 4))
    ranked = []

    def counting_rank(member):
        ranked.append(member.pk)
        return (-member.word_count, -member.metadata_score, member.source_file)

    monkeypatch.setattr(dedupe, "canonical_rank", counting_rank)
    monkeypatch.setattr(duplicate_links, "canonical_rank", counting_rank)
    groups.put(Candidate(3001, "c.txt", 10, 1))
    groups.link(3001, [5])  # joins the big group, which keeps its canonical
    groups.link(3000, [3001])  # a better article takes it over: every member re-pointed
    assert len(ranked) < 10
    assert {groups.duplicate_of[pk] for pk in range(1, 2001)} == {3000}
    assert groups.duplicate_of[3001] == 3000 and groups.duplicate_of[3000] is None


def test_a_member_that_now_outranks_its_canonical_takes_over_at_the_next_link():
    groups = DuplicateGroups()
    groups.put(Candidate(1, "a.txt", 500, 4))
    groups.put(Candidate(2, "b.txt", 100, 4), 1)
    groups.put(Candidate(3, "c.txt", 100, 4), 1)
    groups.put(Candidate(2, "b.txt", 800, 4))  # a changed file, not released
    assert groups.duplicate_of[2] == 1  # as before: only a link or a release re-ranks
    groups.put(Candidate(4, "d.txt", 50, 0))
    groups.link(4, [3])
    assert groups.duplicate_of == {1: 2, 2: None, 3: 2, 4: 2}
