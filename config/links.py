"""URLs of many objects of one route at the cost of one ``reverse()``.

``reverse()`` walks the resolver's candidate patterns on every call: ~20-40 µs, and a timeline
page links ~450 actors, weapons, places, outlets and articles. A route whose only argument is
a slug is the same string around the slug every time, so ``SlugRoute`` reverses the route once
with a placeholder and puts each slug in its place. A slug the route would not accept (the
``slug`` converter's pattern) goes through ``reverse()`` itself, so the result, and the
NoReverseMatch, are always what ``reverse()`` gives.

Build routes per request (or render): the script prefix is part of the reversed URL.
"""

import re

from django.urls import reverse
from django.urls.converters import SlugConverter

PLACEHOLDER = "0slugplaceholder0"
SLUG = re.compile(SlugConverter.regex)


class SlugRoute:
    """``route(slug) == reverse(name, kwargs={"slug": slug})``, one real reverse() in all."""

    def __init__(self, name: str):
        self.name = name
        self.prefix, _, self.suffix = reverse(name, kwargs={"slug": PLACEHOLDER}).rpartition(
            PLACEHOLDER
        )

    def __call__(self, slug: str) -> str:
        if not SLUG.fullmatch(slug):
            return reverse(self.name, kwargs={"slug": slug})
        # Letters, digits, "-" and "_": nothing reverse() would percent-encode.
        return self.prefix + slug + self.suffix
