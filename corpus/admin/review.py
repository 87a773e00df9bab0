"""The review queue of unknown names: create an entity, add as alias, or dismiss."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import slugify

from corpus.admin.autocomplete import EntityAutocompleteMixin, EntityAutocompleteSelect
from corpus.admin.entities import entity_admin_url
from corpus.choices import ActorKind, EntityType
from corpus.models import Entity, NamePattern, ReviewStatus, UnknownName, UnknownNameOccurrence
from corpus.review import add_as_alias, create_entity_from_name, dismiss_names, extract_summary


class OccurrenceInline(admin.TabularInline):
    model = UnknownNameOccurrence
    fields = ["article", "text", "start", "context"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


class CreateEntityForm(forms.ModelForm):
    class Meta:
        model = Entity
        fields = ["entity_type", "kind", "name", "slug", "country", "role", "description"]
        help_texts = {"role": "Actors: role or title. Filled from the title seen in the article."}

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Entity.objects.filter(slug=slug).exists():
            raise forms.ValidationError("An entity with this slug exists; choose another slug.")
        return slug


class AddAliasForm(forms.Form):
    entity = forms.ModelChoiceField(
        queryset=Entity.objects.all(),
        help_text="Type to search entities by name or alias.",
        widget=EntityAutocompleteSelect(UnknownName._meta.get_field("resolved_entity"), admin.site),
    )


@admin.register(UnknownName)
class UnknownNameAdmin(EntityAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "pattern", "title", "status", "frequency", "article_count"]
    list_display += ["sample_context", "resolved_link", "first_seen", "review_links"]
    list_filter = ["status", "pattern"]
    search_fields = ["name", "normalised", "title", "occurrences__context"]
    date_hierarchy = "first_seen"
    readonly_fields = ["name", "normalised", "pattern", "title", "frequency", "article_count"]
    readonly_fields += ["first_seen", "last_seen"]
    fields = [*readonly_fields[:6], "status", "resolved_entity", "first_seen", "last_seen"]
    autocomplete_fields = ["resolved_entity"]
    entity_autocomplete_fields = ("resolved_entity",)
    list_select_related = ["resolved_entity"]
    inlines = [OccurrenceInline]
    actions = ["create_entity_action", "add_alias_action", "dismiss_action"]

    def get_queryset(self, request):
        first = UnknownNameOccurrence.objects.filter(unknown_name=OuterRef("pk")).order_by(
            "article_id", "start"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(first_context=Subquery(first.values("context")[:1]))
        )

    @admin.display(description="context (first occurrence)")
    def sample_context(self, obj):
        return obj.first_context or "—"

    @admin.display(description="resolved as", ordering="resolved_entity__name")
    def resolved_link(self, obj):
        if obj.resolved_entity is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', entity_admin_url(obj.resolved_entity), obj.resolved_entity
        )

    @admin.display(description="review")
    def review_links(self, obj):
        if obj.status == ReviewStatus.RESOLVED:
            return "—"
        opts = self.model._meta
        return format_html(
            '<a href="{}">create entity</a> · <a href="{}">add as alias</a>',
            reverse(f"admin:{opts.app_label}_{opts.model_name}_create_entity", args=[obj.pk]),
            self._alias_url([obj.pk]),
        )

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        if not self.has_change_permission(request):
            return [name for name in list_display if name != "review_links"]
        return list_display

    def has_add_permission(self, request):
        # Names come from detection; a curator who knows a name adds an alias instead.
        return False

    # --- actions -----------------------------------------------------------------------

    @admin.action(description="Create entity from selected name…", permissions=["change"])
    def create_entity_action(self, request, queryset):
        names = list(queryset[:2])
        if len(names) != 1:
            self.message_user(request, "Select exactly one name to create an entity from.")
            return None
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_create_entity", names[0].pk)

    @admin.action(description="Add selected names as aliases of an entity…", permissions=["change"])
    def add_alias_action(self, request, queryset):
        return redirect(self._alias_url(list(queryset.values_list("pk", flat=True))))

    @admin.action(description="Dismiss selected names", permissions=["change"])
    def dismiss_action(self, request, queryset):
        count = dismiss_names(unknown_names=list(queryset), user=request.user)
        self.message_user(
            request,
            f"Dismissed {count} names; detection will leave them dismissed.",
            messages.SUCCESS,
        )

    # --- views -------------------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<int:pk>/create-entity/",
                self.admin_site.admin_view(self.create_entity_view),
                name=f"{prefix}_create_entity",
            ),
            path(
                "add-alias/",
                self.admin_site.admin_view(self.add_alias_view),
                name=f"{prefix}_add_alias",
            ),
            *super().get_urls(),
        ]

    def _alias_url(self, pks) -> str:
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add_alias")
        return f"{url}?{urlencode({'ids': ','.join(str(pk) for pk in pks)})}"

    def _require_change(self, request):
        if not self.has_change_permission(request) or not request.user.has_perm(
            "corpus.add_entity"
        ):
            raise PermissionDenied

    def create_entity_view(self, request, pk):
        self._require_change(request)
        unknown = get_object_or_404(UnknownName, pk=pk)
        if unknown.status == ReviewStatus.RESOLVED:
            self.message_user(
                request, f"“{unknown}” is resolved already; nothing was created.", messages.WARNING
            )
            return redirect("admin:corpus_unknownname_changelist")
        form = CreateEntityForm(request.POST or None, initial=self._entity_initial(unknown))
        if request.method == "POST" and form.is_valid():
            result = create_entity_from_name(
                unknown_name=unknown, entity=form.save(commit=False), user=request.user
            )
            self.message_user(
                request,
                format_html(
                    'Created <a href="{}">{}</a> with aliases {}. {}',
                    entity_admin_url(result.entity),
                    result.entity.name,
                    ", ".join(result.aliases_added) or "—",
                    extract_summary(result.extract),
                ),
                messages.SUCCESS,
            )
            return redirect("admin:corpus_unknownname_changelist")
        return self._render(request, "create_entity.html", unknown.name, form, names=[unknown])

    def add_alias_view(self, request):
        self._require_change(request)
        ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.strip().isdigit()]
        names = list(UnknownName.objects.filter(pk__in=ids).prefetch_related("occurrences"))
        if not names:
            self.message_user(request, "Select one or more names first.", messages.WARNING)
            return redirect("admin:corpus_unknownname_changelist")
        form = AddAliasForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            result = add_as_alias(
                unknown_names=names, entity=form.cleaned_data["entity"], user=request.user
            )
            self.message_user(
                request,
                f"Added {', '.join(result.aliases_added) or 'no new'} aliases to "
                f"{result.entity.name}. {extract_summary(result.extract)}",
                messages.SUCCESS,
            )
            return redirect("admin:corpus_unknownname_changelist")
        title = ", ".join(name.name for name in names)
        return self._render(request, "add_alias.html", title, form, names=names)

    def _render(self, request, template, title, form, names):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "subtitle": None,
            "form": form,
            "names": names,
            "occurrences": UnknownNameOccurrence.objects.filter(unknown_name__in=names)
            .select_related("article")
            .order_by("article__title", "start")[:20],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, f"admin/corpus/unknownname/{template}", context)

    @staticmethod
    def _entity_initial(unknown: UnknownName) -> dict:
        initial = {"name": unknown.name, "slug": slugify(unknown.name)}
        if unknown.pattern == NamePattern.TITLED:
            initial |= {"entity_type": EntityType.ACTOR, "kind": ActorKind.PERSON}
            initial["role"] = unknown.title
        elif unknown.pattern == NamePattern.ACRONYM:
            initial |= {"entity_type": EntityType.ACTOR, "kind": ActorKind.ORGANISATION}
        return initial


@admin.register(UnknownNameOccurrence)
class UnknownNameOccurrenceAdmin(admin.ModelAdmin):
    """Read-only: occurrences are rewritten by every detection run."""

    list_display = ["text", "unknown_name", "article", "start", "context"]
    list_filter = ["unknown_name__status", "unknown_name__pattern"]
    search_fields = ["text", "context", "unknown_name__name", "article__title"]
    list_select_related = ["unknown_name", "article"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__body", "article__raw_text")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
