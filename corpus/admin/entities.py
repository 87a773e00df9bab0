"""Entities, their typed proxies, aliases and redirects in admin; merge and safe delete."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from corpus.admin.articles import ReextractMixin
from corpus.admin.autocomplete import EntityAutocompleteJsonView, EntityAutocompleteMixin
from corpus.admin.base import ChoiceColumnsMixin, PublicLinkMixin, VersionedModelForm
from corpus.admin.merging import merge_selected
from corpus.choices import KINDS_BY_TYPE, EntityType
from corpus.merge import PROXIES, typed
from corpus.models import Actor, Alias, Entity, EntityRedirect, Place, WeaponSystem
from corpus.usage import blocking_descriptions, counted, entity_usage, with_usage

# Autocomplete requests name the field they fill; these fields take one entity type only.
TYPED_AUTOCOMPLETE_FIELDS = {
    ("timeline", "eventactor", "actor"): EntityType.ACTOR,
    ("timeline", "eventweapon", "weapon"): EntityType.WEAPON,
    ("timeline", "event", "place"): EntityType.PLACE,
    ("corpus", "entity", "parent"): EntityType.PLACE,
    ("corpus", "place", "parent"): EntityType.PLACE,
    ("corpus", "outlet", "entity"): EntityType.ACTOR,
}


class EntityForm(VersionedModelForm):
    """Refuses a type change while events hold the entity in a typed role (as actor, weapon,
    place) or places lie inside it: the event would end up with a place as its actor."""

    def clean(self):
        cleaned_data = super().clean()
        new_type = cleaned_data.get("entity_type")
        if self.instance.pk and new_type and new_type != self.instance.entity_type:
            usage = entity_usage(entities=[self.instance])[self.instance.pk]
            typed_uses = [
                counted(count, noun)
                for count, noun in [
                    (usage.event_roles, "event role"),
                    (usage.weapon_uses, "weapon use"),
                    (usage.event_places, "event placed here|events placed here"),
                    (usage.child_places, "place inside it|places inside it"),
                    (usage.outlet, "outlet link"),
                ]
                if count
            ]
            if typed_uses:
                raise ValidationError(
                    {
                        "entity_type": "The type cannot change while it has "
                        f"{', '.join(typed_uses)}; remove those first."
                    }
                )
        return cleaned_data


class AliasInline(admin.TabularInline):
    model = Alias
    form = VersionedModelForm
    extra = 1
    view_on_site = False  # an alias's page is its entity's: one link per row is noise


class EntityAdmin(ChoiceColumnsMixin, PublicLinkMixin, admin.ModelAdmin):
    form = EntityForm
    entity_type: str | None = None
    list_display = [
        "name",
        "entity_type",
        "kind_name",
        "country_name",
        "alias_count",
        "mention_count",
        "event_count",
        "public_link",
    ]
    list_filter = ["entity_type", "kind", "country"]
    search_fields = ["name", "slug", "aliases__name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]
    actions = [merge_selected, "delete_unused"]
    list_per_page = 50

    def get_queryset(self, request):
        return with_usage(super().get_queryset(request))

    @admin.display(description="aliases", ordering="usage_aliases")
    def alias_count(self, obj):
        return obj.usage_aliases

    @admin.display(description="mentions", ordering="usage_mentions")
    def mention_count(self, obj):
        return obj.usage_mentions

    @admin.display(description="events")
    def event_count(self, obj):
        return obj.usage_event_roles + obj.usage_weapon_uses + obj.usage_event_places

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind" and self.entity_type:
            kwargs["choices"] = KINDS_BY_TYPE[self.entity_type].choices
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = (
            request.GET.get("app_label"),
            request.GET.get("model_name"),
            request.GET.get("field_name"),
        )
        entity_type = TYPED_AUTOCOMPLETE_FIELDS.get(source)
        if entity_type:
            queryset = queryset.filter(entity_type=entity_type)
        return queryset, may_have_duplicates

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and self.has_delete_permission(request)

    # --- deleting: refuse while evidence still uses the entity --------------------------

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        # Django's own bulk delete is replaced by one that names what blocks it.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Delete selected %(verbose_name_plural)s", permissions=["delete"])
    def delete_unused(self, request, queryset):
        blocked = blocking_descriptions(entities=list(queryset))
        if blocked:
            self.message_user(
                request,
                format_html(
                    "Nothing was deleted: these entities are still in use. Merge them into "
                    "another entity or remove the uses first.{}",
                    format_html_join("", "<br>• {}", ((line,) for line in blocked.values())),
                ),
                messages.ERROR,
            )
            return None
        return delete_selected(self, request, queryset)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # One line per entity with counts and event names, not thousands of mention rows;
            # and the uses are the reason, not the curator's lack of delete rights on them.
            protected = list(blocking_descriptions(entities=list(objs)).values())
            perms_needed = set()
        return deleted, model_count, perms_needed, protected

    # --- history: entity logs live under the typed proxy, whose admin curators use ------

    def log_addition(self, request, obj, message):
        return super().log_addition(request, typed(obj), message)

    def log_change(self, request, obj, message):
        return super().log_change(request, typed(obj), message)

    def log_deletions(self, request, queryset):
        return super().log_deletions(request, [typed(obj) for obj in queryset])


class KindFilter(admin.SimpleListFilter):
    """The kinds of the admin's own entity type, not every type's kinds."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return KINDS_BY_TYPE[model_admin.entity_type].choices

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class TypedEntityAdmin(EntityAdmin):
    list_filter = [KindFilter, "country"]


@admin.register(Entity)
class AllEntityAdmin(EntityAdmin):
    def get_urls(self):
        view = EntityAutocompleteJsonView.as_view(admin_site=self.admin_site)
        return [
            path(
                "typed-autocomplete/",
                self.admin_site.admin_view(view),
                name="corpus_entity_typed_autocomplete",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        entity = self.get_object(request, object_id)
        if entity is None:
            return super().history_view(request, object_id, extra_context)
        proxy = PROXIES[entity.entity_type]._meta
        return redirect(f"admin:{proxy.app_label}_{proxy.model_name}_history", entity.pk)


@admin.register(Actor)
class ActorAdmin(TypedEntityAdmin):
    entity_type = EntityType.ACTOR
    list_display = ["name", "kind_name", "role", "country_name", "alias_count", "mention_count"]
    list_display += ["event_count", "public_link"]
    exclude = ["entity_type", "range_km", "parent"]
    autocomplete_fields = []


@admin.register(WeaponSystem)
class WeaponSystemAdmin(TypedEntityAdmin):
    entity_type = EntityType.WEAPON
    list_display = ["name", "kind_name", "country_name", "range_km", "alias_count"]
    list_display += ["mention_count", "event_count", "public_link"]
    exclude = ["entity_type", "role", "parent"]
    autocomplete_fields = []


@admin.register(Place)
class PlaceAdmin(TypedEntityAdmin):
    entity_type = EntityType.PLACE
    list_display = ["name", "kind_name", "country_name", "parent", "alias_count", "mention_count"]
    list_display += ["event_count", "public_link"]
    exclude = ["entity_type", "role", "range_km"]
    list_select_related = ["parent"]


@admin.register(Alias)
class AliasAdmin(EntityAutocompleteMixin, ReextractMixin, PublicLinkMixin, admin.ModelAdmin):
    form = VersionedModelForm
    list_display = ["name", "entity", "entity_type", "public_link"]
    list_filter = ["entity__entity_type"]
    search_fields = ["name", "entity__name"]
    list_select_related = ["entity"]
    autocomplete_fields = ["entity"]
    entity_autocomplete_fields = ("entity",)

    @admin.display(description="type", ordering="entity__entity_type")
    def entity_type(self, obj):
        return obj.entity.get_entity_type_display()


@admin.register(EntityRedirect)
class EntityRedirectAdmin(EntityAutocompleteMixin, PublicLinkMixin, admin.ModelAdmin):
    list_display = ["old_slug", "entity", "created_at", "public_link"]
    search_fields = ["old_slug", "entity__name", "entity__slug"]
    list_select_related = ["entity"]
    autocomplete_fields = ["entity"]
    entity_autocomplete_fields = ("entity",)
    date_hierarchy = "created_at"


def entity_admin_url(entity: Entity) -> str:
    proxy = PROXIES[entity.entity_type]._meta
    return reverse(f"admin:{proxy.app_label}_{proxy.model_name}_change", args=[entity.pk])
