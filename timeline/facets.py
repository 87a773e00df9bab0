"""Facet counts: beside each filter option, how many events it would match.

The count for an option is computed under every OTHER active filter ("disjunctive" faceting):
options of one filter combine with OR, so ticking "Joe Biden" while "Vladimir Putin" is ticked
would add exactly the number shown. Each facet is one GROUP BY query, six in all, whatever the
number of options; many-to-many facets count distinct events, so an actor in two roles in one
event counts once.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from timeline.choices import EventStatus, EventType
from timeline.filters import EventFilter
from timeline.models import Citation, EventActor, EventWeapon

# Entity facets can have thousands of options; the page shows the most frequent ones (and
# always the selected ones) and says how many it left out.
ENTITY_FACET_LIMIT = 40


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    hidden: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


def compute_facets(filterset: EventFilter) -> list[Facet]:
    """Every facet of the timeline form, in the order the form shows them."""
    return [
        _relation_facet(filterset, "actor", EventActor.objects, "actor"),
        _relation_facet(filterset, "weapon", EventWeapon.objects, "weapon"),
        _relation_facet(filterset, "place", None, "place"),
        _choice_facet(filterset, "type", "event_type", EventType),
        _choice_facet(filterset, "status", "status", EventStatus),
        _relation_facet(filterset, "outlet", Citation.objects, "article__outlet"),
    ]


def _errors(filterset: EventFilter, name: str) -> list[str]:
    return list(filterset.form.errors.get(name, [])) if filterset.is_bound else []


def _selected_values(filterset: EventFilter, name: str) -> dict[str, str]:
    """Submitted, valid values of one filter: value -> label."""
    values = filterset.cleaned_data.get(name) or []
    if name in ("type", "status"):
        choices = dict(filterset.filters[name].extra["choices"])
        return {value: str(choices[value]) for value in values}
    return {item.slug: item.name for item in values}


def _relation_facet(filterset, name, rows, path) -> Facet:
    """Count events per related entity or outlet, under the other filters.

    ``rows`` is the through table (or citations) to group; ``None`` groups the events
    themselves (the place foreign key).
    """
    events = filterset.queryset_without(name)
    if rows is None:
        grouped = (
            events.exclude(**{f"{path}__isnull": True})
            .order_by()
            .values(f"{path}__slug", f"{path}__name")
        )
        counted = grouped.annotate(count=Count("pk"))
    else:
        grouped = rows.filter(event__in=events.values("pk")).values(
            f"{path}__slug", f"{path}__name"
        )
        counted = grouped.annotate(count=Count("event", distinct=True))
    counted = counted.order_by("-count", f"{path}__name")
    selected = _selected_values(filterset, name)
    options, hidden = [], 0
    for row in counted:
        slug = row[f"{path}__slug"]
        if len(options) < ENTITY_FACET_LIMIT or slug in selected:
            options.append(FacetOption(slug, row[f"{path}__name"], row["count"], slug in selected))
        else:
            hidden += 1
    shown = {option.value for option in options}
    # A selected option that matches nothing under the other filters still has to be
    # listed, so that it can be unticked.
    options += [
        FacetOption(slug, label, 0, True) for slug, label in selected.items() if slug not in shown
    ]
    return Facet(
        name, str(filterset.filters[name].label), options, hidden, _errors(filterset, name)
    )


def _choice_facet(filterset, name, field, choices) -> Facet:
    """Count events per value of a small fixed vocabulary; every value is listed, even at 0."""
    events = filterset.queryset_without(name).order_by()
    counts = dict(events.values_list(field).annotate(count=Count("pk")))
    selected = _selected_values(filterset, name)
    options = [
        FacetOption(value, str(label), counts.get(value, 0), value in selected)
        for value, label in choices.choices
    ]
    return Facet(name, str(filterset.filters[name].label), options, 0, _errors(filterset, name))
