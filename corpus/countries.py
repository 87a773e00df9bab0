"""ISO 3166-1 alpha-2 country codes, the one spelling of a country the data model stores."""

from functools import cache

import pycountry


@cache
def country_choices() -> list[tuple[str, str]]:
    """Choices for country fields, sorted by name; callable so migrations don't copy the list."""
    names = {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}
    return sorted(names.items(), key=lambda item: item[1])


@cache
def country_names() -> dict[str, str]:
    return dict(country_choices())


def country_name(code: str) -> str:
    """The name of a country code; an unknown code (or "") as it is, as Django's
    ``get_FOO_display`` gives it."""
    return country_names().get(code, code)
