"""Admin registrations for events and their evidence."""

from django.contrib import admin

from timeline.models import Citation, Event, EventActor, EventWeapon


class EventActorInline(admin.TabularInline):
    model = EventActor
    extra = 1
    raw_id_fields = ["actor"]


class EventWeaponInline(admin.TabularInline):
    model = EventWeapon
    extra = 1
    raw_id_fields = ["weapon"]


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 0
    raw_id_fields = ["article"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "date_precision", "event_type", "status", "place"]
    list_filter = ["event_type", "status", "date_precision"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["place"]
    raw_id_fields = ["place"]
    inlines = [EventActorInline, EventWeaponInline, CitationInline]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["event", "article", "quote"]
    list_filter = ["article__outlet"]
    search_fields = ["quote", "event__title", "article__title"]
    list_select_related = ["event", "article"]
    raw_id_fields = ["event", "article"]


@admin.register(EventActor)
class EventActorAdmin(admin.ModelAdmin):
    list_display = ["event", "actor", "role"]
    list_filter = ["role"]
    search_fields = ["event__title", "actor__name"]
    list_select_related = ["event", "actor"]
    raw_id_fields = ["event", "actor"]


@admin.register(EventWeapon)
class EventWeaponAdmin(admin.ModelAdmin):
    list_display = ["event", "weapon"]
    search_fields = ["event__title", "weapon__name"]
    list_select_related = ["event", "weapon"]
    raw_id_fields = ["event", "weapon"]
