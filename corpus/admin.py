"""Admin registrations for the corpus. Curation workflows build on these."""

from django.contrib import admin

from corpus.models import Actor, Alias, Article, Entity, Mention, Outlet, Place, WeaponSystem


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "homepage"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published_on", "word_count", "duplicate_of", "source_file"]
    list_filter = ["outlet", "language", "published_precision"]
    search_fields = ["title", "source_file", "checksum", "authors"]
    date_hierarchy = "published_on"
    readonly_fields = ["source_file", "checksum", "raw_text", "ingested_at"]
    list_select_related = ["outlet", "duplicate_of"]
    exclude = ["search_vector"]


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "entity_type", "kind", "country", "slug"]
    list_filter = ["entity_type", "kind", "country"]
    search_fields = ["name", "slug", "aliases__name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline]


admin.site.register(Entity, EntityAdmin)


@admin.register(Actor)
class ActorAdmin(EntityAdmin):
    list_display = ["name", "kind", "role", "country"]
    list_filter = ["kind", "country"]
    exclude = ["entity_type", "range_km", "parent"]


@admin.register(WeaponSystem)
class WeaponSystemAdmin(EntityAdmin):
    list_display = ["name", "kind", "country", "range_km"]
    list_filter = ["kind", "country"]
    exclude = ["entity_type", "role", "parent"]


@admin.register(Place)
class PlaceAdmin(EntityAdmin):
    list_display = ["name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    exclude = ["entity_type", "role", "range_km"]
    list_select_related = ["parent"]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["name", "entity"]
    list_filter = ["entity__entity_type"]
    search_fields = ["name", "entity__name"]
    list_select_related = ["entity"]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["text", "entity", "article", "start", "end"]
    list_filter = ["entity__entity_type"]
    search_fields = ["text", "entity__name", "article__title"]
    list_select_related = ["entity", "article"]
    raw_id_fields = ["article", "entity"]
