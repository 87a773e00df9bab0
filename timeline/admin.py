"""Events and their evidence in admin: actors, weapon systems and citations edited together."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from corpus.admin.base import PublicLinkMixin, VersionedModelForm
from corpus.counts import related_count
from timeline.models import Citation, Event, EventActor, EventWeapon


class CitationForm(VersionedModelForm):
    """A quote must be the article's own words; offsets are found when left out or stale."""

    class Meta:
        model = Citation
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned_data = super().clean()
        article, quote = cleaned_data.get("article"), cleaned_data.get("quote")
        if article is None or not quote:
            return cleaned_data
        start = cleaned_data.get("start")
        if start is None or article.body[start : start + len(quote)] != quote:
            start = article.body.find(quote)
        if start < 0:
            raise ValidationError(
                {"quote": f"These words are not in the body of “{article}”; copy them exactly."}
            )
        cleaned_data["start"], cleaned_data["end"] = start, start + len(quote)
        self.instance.start, self.instance.end = cleaned_data["start"], cleaned_data["end"]
        return cleaned_data


class EventActorInline(admin.TabularInline):
    model = EventActor
    form = VersionedModelForm
    extra = 1
    autocomplete_fields = ["actor"]


class EventWeaponInline(admin.TabularInline):
    model = EventWeapon
    form = VersionedModelForm
    extra = 1
    autocomplete_fields = ["weapon"]


class CitationInline(admin.StackedInline):
    model = Citation
    form = CitationForm
    extra = 0
    autocomplete_fields = ["article"]


@admin.register(Event)
class EventAdmin(PublicLinkMixin, admin.ModelAdmin):
    form = VersionedModelForm
    list_display = ["title", "date", "date_precision", "event_type", "status", "place"]
    list_display += ["actor_count", "citation_count", "public_link"]
    list_filter = ["event_type", "status", "date_precision"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["place"]
    autocomplete_fields = ["place"]
    inlines = [EventActorInline, EventWeaponInline, CitationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_actors=related_count(EventActor, "event"),
                n_citations=related_count(Citation, "event"),
            )
        )

    @admin.display(description="actors", ordering="n_actors")
    def actor_count(self, obj):
        return obj.n_actors

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj):
        return obj.n_citations


@admin.register(Citation)
class CitationAdmin(PublicLinkMixin, admin.ModelAdmin):
    form = CitationForm
    list_display = ["event", "article", "quote", "start", "public_link"]
    list_filter = ["article__outlet", "event__event_type"]
    search_fields = ["quote", "event__title", "article__title"]
    list_select_related = ["event", "article"]
    autocomplete_fields = ["event", "article"]
    date_hierarchy = "event__date"

    def public_url(self, obj) -> str:
        return obj.event.get_absolute_url()

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__body", "article__raw_text")


@admin.register(EventActor)
class EventActorAdmin(admin.ModelAdmin):
    form = VersionedModelForm
    list_display = ["event", "actor", "role"]
    list_filter = ["role", "actor__kind"]
    search_fields = ["event__title", "actor__name"]
    list_select_related = ["event", "actor"]
    autocomplete_fields = ["event", "actor"]
    date_hierarchy = "event__date"


@admin.register(EventWeapon)
class EventWeaponAdmin(admin.ModelAdmin):
    form = VersionedModelForm
    list_display = ["event", "weapon"]
    list_filter = ["weapon__kind"]
    search_fields = ["event__title", "weapon__name"]
    list_select_related = ["event", "weapon"]
    autocomplete_fields = ["event", "weapon"]
    date_hierarchy = "event__date"
