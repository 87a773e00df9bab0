"""RankedResults: ids in rank order, rows fetched for the slice asked only."""

from types import SimpleNamespace

from django.core.paginator import Paginator

from corpus.ranked import RankedResults


class Rows:
    """A stand-in fetch that records which ids it was asked for, and has lost id 4."""

    def __init__(self):
        self.asked = []

    def __call__(self, ids):
        self.asked.append(list(ids))
        return [SimpleNamespace(pk=pk) for pk in reversed(ids) if pk != 4]


def test_slices_fetch_only_their_ids_and_keep_the_rank_order():
    fetch = Rows()
    results = RankedResults([(7, 0.9), (3, 0.5), (4, 0.4), (1, 0.1)], fetch)
    assert len(results) == results.count() == 4
    shown = results[:2]
    assert [(r.pk, r.rank) for r in shown] == [(7, 0.9), (3, 0.5)]
    assert fetch.asked == [[7, 3]]
    assert [r.pk for r in results[2:]] == [1]  # a row gone since ranking is skipped
    assert results[0].pk == 7 and results[-1].pk == 1
    assert [r.pk for r in results] == [7, 3, 1]


def test_a_paginator_counts_without_fetching_and_fetches_one_page():
    fetch = Rows()
    results = RankedResults([(pk, 1.0 / pk) for pk in range(10, 60)], fetch)
    page = Paginator(results, 25).page(2)
    assert page.paginator.count == 50 and page.paginator.num_pages == 2
    assert [r.pk for r in page.object_list] == list(range(35, 60))
    assert fetch.asked == [list(range(35, 60))]
