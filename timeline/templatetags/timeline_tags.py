"""Template helpers for the timeline: dates shown as precisely as they are known, event cards."""

from django import template

from timeline import cards

register = template.Library()


@register.simple_tag
def period_time(day, precision):
    """`<time datetime="2024-11">Nov 2024</time>`: a month-precision date never shows a day."""
    return cards.period_time(day, precision)


@register.simple_tag(takes_context=True)
def event_card(context, event):
    """One event of the timeline list, from the page's ``event_cards`` (EventCards.load)."""
    return context["event_cards"](event)


@register.simple_tag
def event_badges(event):
    """Type, status, period and place of an event, as on its card in the timeline."""
    return cards.EventCards().badges(event)


@register.simple_tag(takes_context=True)
def without_value(context, key, value):
    """The current query string less one value of ``key`` (and the page): a "remove" link."""
    query = context["request"].GET.copy()
    query.setlist(key, [item for item in query.getlist(key) if item != value])
    query.pop("page", None)
    return query.urlencode()


@register.filter
def without_nul(value):
    """Drop NUL characters from a submitted value before it is shown back in the form."""
    return str(value).replace("\x00", "") if value is not None else ""
