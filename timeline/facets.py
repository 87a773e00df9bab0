"""Facet counts: beside each filter option, how many events it would match.

The count for an option is computed under every OTHER active filter ("disjunctive" faceting):
options of one filter combine with OR, so ticking "Joe Biden" while "Vladimir Putin" is ticked
would add exactly the number shown. Each facet is one GROUP BY query, six in all, whatever the
number of options; many-to-many facets count distinct events, so an actor in two roles in one
event counts once. A place's count includes the events in the places inside it, as its filter
does.
"""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count

from corpus.models import Entity
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
    help: str = ""  # what the options mean, where it is not obvious

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


def compute_facets(filterset: EventFilter) -> list[Facet]:
    """Every facet of the timeline form, in the order the form shows them."""
    return [
        _relation_facet(filterset, "actor", EventActor.objects, "actor"),
        _relation_facet(filterset, "weapon", EventWeapon.objects, "weapon"),
        _place_facet(filterset),
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

    ``rows`` is the through table (or citations) to group, counting distinct events.
    """
    events = filterset.queryset_without(name)
    counted = (
        rows.filter(event__in=events.values("pk"))
        .values_list(f"{path}__slug", f"{path}__name")
        .annotate(count=Count("event", distinct=True))
        .order_by("-count", f"{path}__name")
    )
    return _entity_facet(filterset, name, counted)


# Each event counts for its place and for every place that place lies in, as the place filter
# matches (EventQuerySet.at_places). lies_in pairs each matched event's place with itself and
# its ancestors; UNION keeps a loop in curated data from recursing forever, and since an event
# has one place and each (place, ancestor) pair comes once, COUNT(*) counts distinct events.
PLACE_COUNTS = """
WITH RECURSIVE matched AS ({events}),
lies_in(place_id, ancestor_id) AS (
    SELECT DISTINCT place_id, place_id FROM matched WHERE place_id IS NOT NULL
    UNION
    SELECT lies_in.place_id, place.parent_id
    FROM lies_in JOIN {entity} AS place ON place.id = lies_in.ancestor_id
    WHERE place.parent_id IS NOT NULL
)
SELECT ancestor.slug, ancestor.name, COUNT(*) AS count
FROM matched
JOIN lies_in USING (place_id)
JOIN {entity} AS ancestor ON ancestor.id = lies_in.ancestor_id
GROUP BY ancestor.id
ORDER BY count DESC, ancestor.name
"""


def _place_facet(filterset) -> Facet:
    """Count events per place under the other filters, a place's count including the events
    in the places inside it."""
    events = filterset.queryset_without("place").order_by().values("place_id")
    # The events' own database: on a replica, under a router (config/routers.py).
    sql, params = events.query.get_compiler(events.db).as_sql()
    query = PLACE_COUNTS.format(events=sql, entity=Entity._meta.db_table)
    with connections[events.db].cursor() as cursor:
        cursor.execute(query, params)
        counted = cursor.fetchall()
    return _entity_facet(filterset, "place", counted)


def _entity_facet(filterset, name, counted) -> Facet:
    """The facet of ``(slug, label, count)`` rows, most frequent first: the first
    ``ENTITY_FACET_LIMIT`` and every selected one."""
    selected = _selected_values(filterset, name)
    options, hidden = [], 0
    for slug, label, count in counted:
        if len(options) < ENTITY_FACET_LIMIT or slug in selected:
            options.append(FacetOption(slug, label, count, slug in selected))
        else:
            hidden += 1
    shown = {option.value for option in options}
    # A selected option that matches nothing under the other filters still has to be
    # listed, so that it can be unticked.
    options += [
        FacetOption(slug, label, 0, True) for slug, label in selected.items() if slug not in shown
    ]
    return _facet(filterset, name, options, hidden)


def _facet(filterset, name, options, hidden=0) -> Facet:
    field = filterset.filters[name]
    return Facet(
        name,
        str(field.label),
        options,
        hidden,
        _errors(filterset, name),
        help=str(field.extra.get("help_text") or ""),
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
    return _facet(filterset, name, options)
