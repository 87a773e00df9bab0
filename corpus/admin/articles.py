"""Outlets, articles and mentions in admin; re-extracting mentions from the current aliases."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from corpus.admin.autocomplete import EntityAutocompleteMixin
from corpus.admin.base import ChoiceColumnsMixin, PublicLinkMixin, VersionedModelForm
from corpus.counts import related_count
from corpus.models import Article, Mention, Outlet
from corpus.review import extract_summary, reextract_mentions


@admin.register(Outlet)
class OutletAdmin(ChoiceColumnsMixin, PublicLinkMixin, admin.ModelAdmin):
    form = VersionedModelForm
    list_display = ["name", "kind", "country_name", "entity", "article_count", "homepage"]
    list_display += ["public_link"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["entity"]
    list_select_related = ["entity"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=related_count(Article, "outlet"))

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles


class ReextractMixin:
    """ "Re-extract mentions" for selected articles, and a button for every article."""

    def has_reextract_permission(self, request):
        return request.user.has_perm("corpus.change_article")

    @admin.action(description="Re-extract mentions of selected articles", permissions=["reextract"])
    def reextract_selected(self, request, queryset):
        articles = list(queryset.select_related(None).only("pk", "title", "body").order_by("pk"))
        result = reextract_mentions(articles=articles, user=request.user)
        self.message_user(request, extract_summary(result), messages.SUCCESS)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "reextract-all/",
                self.admin_site.admin_view(require_POST(self.reextract_all_view)),
                name=f"{opts.app_label}_{opts.model_name}_reextract_all",
            ),
            *super().get_urls(),
        ]

    def reextract_all_view(self, request):
        if not self.has_reextract_permission(request):
            raise PermissionDenied
        result = reextract_mentions(articles=None, user=request.user)
        self.message_user(request, extract_summary(result), messages.SUCCESS)
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_reextract": self.has_reextract_permission(request),
        }
        return super().changelist_view(request, extra_context)


@admin.register(Article)
class ArticleAdmin(ReextractMixin, PublicLinkMixin, admin.ModelAdmin):
    form = VersionedModelForm
    list_display = ["title", "outlet", "published_on", "word_count", "mention_count"]
    list_display += ["duplicate_of", "source_file", "public_link"]
    list_filter = [
        "outlet",
        "language",
        "published_precision",
        ("duplicate_of", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "source_file", "checksum", "url"]
    date_hierarchy = "published_on"
    readonly_fields = ["source_file", "checksum", "raw_text", "word_count", "ingested_at"]
    list_select_related = ["outlet", "duplicate_of"]
    autocomplete_fields = ["outlet", "duplicate_of"]
    exclude = ["search_vector"]
    actions = ["reextract_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "outlet", "authors", "url", "row_version"]}),
        ("Date", {"fields": ["published_on", "published_precision", "language"]}),
        ("Text", {"fields": ["body", "duplicate_of"]}),
        (
            "Provenance (read-only)",
            {"fields": ["source_file", "checksum", "ingested_at", "word_count", "raw_text"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("raw_text", "body", "search_vector")
            .annotate(n_mentions=related_count(Mention, "article"))
        )

    @admin.display(description="mentions", ordering="n_mentions")
    def mention_count(self, obj):
        return obj.n_mentions


@admin.register(Mention)
class MentionAdmin(EntityAutocompleteMixin, admin.ModelAdmin):
    list_display = ["text", "entity", "article", "start", "end"]
    list_filter = ["entity__entity_type"]
    search_fields = ["text", "entity__name", "article__title"]
    list_select_related = ["entity", "article"]
    autocomplete_fields = ["article", "entity"]
    entity_autocomplete_fields = ("entity",)
