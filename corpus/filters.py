"""FilterSets for the corpus list pages; usable outside views (exports, tests, the shell)."""

import django_filters
from django import forms

from corpus.choices import KINDS_BY_TYPE, EntityType
from corpus.countries import country_name
from corpus.models import Article, Entity, Outlet


class EntityFilterSet(django_filters.FilterSet):
    """Entities of one type by kind, country and a spelling-tolerant name search.

    Pass ``entity_type`` so the kind and country choices are the ones of that type.
    """

    q = django_filters.CharFilter(
        field_name="name",
        lookup_expr="trigram_word_similar",
        method="filter_name",
        label="Name",
        max_length=200,
    )
    kind = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=[], empty_label="Any kind"
    )
    country = django_filters.ChoiceFilter(
        field_name="country", lookup_expr="exact", choices=[], empty_label="Any country"
    )

    class Meta:
        model = Entity
        fields = ["q", "kind", "country"]

    def __init__(self, *args, entity_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = KINDS_BY_TYPE[entity_type].choices
        if entity_type == EntityType.WEAPON:
            self.filters["kind"].label, self.filters["country"].label = "Category", "Origin"
            self.filters["kind"].extra["empty_label"] = "Any category"
        # Only the countries that entities of this type have: a list of 250 is no help.
        codes = (
            Entity.objects.filter(entity_type=entity_type)
            .exclude(country="")
            .order_by()
            .values_list("country", flat=True)
            .distinct()
        )
        self.filters["country"].extra["choices"] = sorted(
            ((code, country_name(code)) for code in codes), key=lambda c: c[1]
        )
        self.filters["q"].field.widget.input_type = "search"

    def filter_name(self, queryset, name, value):
        """Names or aliases resembling the text, most similar first (trigram indexes)."""
        value = value.strip()
        return queryset.fuzzy_named(value, threshold=0) if value else queryset


class ArticleFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("published_after"), cleaned.get("published_before")
        if after and before and after > before:
            raise forms.ValidationError(
                "The “published from” date is after the “published until” date."
            )
        return cleaned


class EntityNameField(forms.ModelChoiceField):
    """An entity by its slug, or by a name or other spelling only it has, in any case.

    Links carry slugs; people type names. A name several entities share ("Russia": the state
    and the country) is an error that lists them with their slugs, and a name no entity has
    suggests the closest ones.
    """

    SUGGESTIONS = 3
    MAX_LENGTH = 200

    def to_python(self, value):
        text = str(value).strip() if value not in self.empty_values else ""
        if not text:
            return None
        if "\x00" in text:  # PostgreSQL text cannot hold it: a form error, not a 500
            raise forms.ValidationError("Null characters are not allowed.", code="null_characters")
        if len(text) > self.MAX_LENGTH:
            raise forms.ValidationError(
                "Enter a name or slug of at most %(max)s characters.",
                code="max_length",
                params={"max": self.MAX_LENGTH},
            )
        if entity := self.queryset.filter(slug=text).first():
            return entity
        named = list(self.queryset.named_exactly(text)[: self.SUGGESTIONS + 1])
        if len(named) == 1:
            return named[0]
        if named:
            raise forms.ValidationError(
                "Several entities have this name: %(choices)s. Enter the slug of the one you mean.",
                code="ambiguous",
                params={"choices": _described(named)},
            )
        closest = list(self.queryset.fuzzy_named(text)[: self.SUGGESTIONS])
        message = "No entity has this name or slug."
        if closest:
            message += f" Closest: {_described(closest)}."
        raise forms.ValidationError(message, code="invalid_choice")


def _described(entities) -> str:
    """Each entity as "Russia, Country (russia-country)", joined with semicolons."""
    return "; ".join(f"{entity.name}, {entity.kind_label} ({entity.slug})" for entity in entities)


class EntityNameFilter(django_filters.ModelChoiceFilter):
    field_class = EntityNameField


class ArticleFilterSet(django_filters.FilterSet):
    """Articles by outlet, publication date range and an entity they mention (by name or slug)."""

    outlet = django_filters.ModelChoiceFilter(
        field_name="outlet",
        lookup_expr="exact",
        queryset=Outlet.objects.all(),
        to_field_name="slug",
        empty_label="Any outlet",
        error_messages={"invalid_choice": "No outlet has this slug."},
    )
    published_after = django_filters.DateFilter(
        field_name="published_on",
        lookup_expr="gte",
        label="Published from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_before = django_filters.DateFilter(
        field_name="published_on",
        lookup_expr="lte",
        label="Published until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    entity = EntityNameFilter(
        field_name="mentions__entity",
        lookup_expr="exact",
        queryset=Entity.objects.all(),
        to_field_name="slug",
        distinct=True,
        label="Naming",
        widget=forms.TextInput(attrs={"placeholder": "a name or slug, e.g. Kursk Oblast"}),
    )

    class Meta:
        model = Article
        fields = ["outlet", "published_after", "published_before", "entity"]
        form = ArticleFilterForm

    @property
    def qs(self):
        # Fold after filtering (and when no filter is given at all): a copy stays listed
        # when its canonical article was filtered out.
        return super().qs.fold_duplicates()
