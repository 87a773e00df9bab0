"""Template helpers for the corpus pages: dates shown as precisely as they are known."""

from functools import lru_cache

from django import template
from django.utils.html import format_html

from corpus.choices import DatePrecision

register = template.Library()

FORMATS = {
    DatePrecision.DAY: ("%Y-%m-%d", "{day} %b %Y"),
    DatePrecision.MONTH: ("%Y-%m", "%b %Y"),
    DatePrecision.YEAR: ("%Y", "%Y"),
}


def date_label(value, precision: str = DatePrecision.DAY) -> str:
    """ "17 Nov 2024", "Nov 2024" or "2024": never a day that is not known."""
    if value is None:
        return "undated"
    _, shown = FORMATS.get(precision, FORMATS[DatePrecision.DAY])
    return value.strftime(shown.replace("{day}", str(value.day)))


@register.simple_tag
@lru_cache(maxsize=4096)
def dated(value, precision=DatePrecision.DAY):
    """A <time> element whose machine-readable value has the same precision as the label.

    Cached: an entity page shows ~150 dates, most of them repeated, and the markup is a pure
    function of its arguments (``strftime``'s month names are the C locale's, not translated).
    """
    if value is None:
        return format_html('<span class="undated">{}</span>', "undated")
    machine, _ = FORMATS.get(precision, FORMATS[DatePrecision.DAY])
    return format_html(
        '<time datetime="{}">{}</time>', value.strftime(machine), date_label(value, precision)
    )


@register.filter
def precise_date(value, precision=DatePrecision.DAY):
    return date_label(value, precision)
