"""Search results ranked once, their rows fetched only for the page shown.

A search ranks its candidates in one query that returns ids and ranks only; counting them is
``len`` and a page is one more query, by id, for the rows shown and their headlines. Before,
one query ranked and ordered the candidates to show ten, and another counted them, each
computing the candidates again (an event's text vectorised on the fly twice).
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Any


class RankedResults:
    """Ids in rank order, sliced like a queryset (a ``Paginator`` accepts it).

    ``fetch(ids)`` returns the rows for some ids in any order; they come back in rank order,
    each with its ``rank``.
    """

    def __init__(self, ranked: Sequence[tuple[int, float]], fetch: Callable[[list[int]], Any]):
        self.ranked = list(ranked)
        self.fetch = fetch

    def count(self) -> int:
        return len(self.ranked)

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index: int | slice):
        if not isinstance(index, slice):
            return self._rows([self.ranked[index]])[0]
        return self._rows(self.ranked[index])

    def _rows(self, wanted: list[tuple[int, float]]) -> list:
        rows = {row.pk: row for row in self.fetch([pk for pk, _ in wanted])}
        shown = []
        for pk, rank in wanted:
            if pk in rows:  # gone since it was ranked: nothing to show
                rows[pk].rank = rank
                shown.append(rows[pk])
        return shown

    def __iter__(self) -> Iterator:
        return iter(self[:])
