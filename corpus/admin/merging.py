"""The "Merge selected entities" admin action and its confirmation page."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from corpus.merge import PROXIES, MergeError, check_mergeable, merge_entities
from corpus.usage import entity_usage


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        help_text="The entity that stays; the others become its aliases and redirect to it.",
    )

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [(e.pk, f"{e.name} ({e.slug})") for e in entities]


def _default_survivor(entities, usage) -> int:
    """Suggest the entity with the most evidence; the curator may pick another."""
    return max(entities, key=lambda e: (usage[e.pk].mentions + usage[e.pk].event_roles, -e.pk)).pk


@admin.action(description="Merge selected %(verbose_name_plural)s…", permissions=["merge"])
def merge_selected(modeladmin, request, queryset):
    entities = list(queryset.order_by("name", "pk"))
    if len(entities) < 2:
        modeladmin.message_user(request, "Select two or more entities to merge.", messages.WARNING)
        return None
    try:
        check_mergeable(survivor=entities[0], merged=entities[1:])
    except MergeError as error:
        modeladmin.message_user(request, f"Nothing was merged. {error}", messages.ERROR)
        return None

    if request.POST.get("post") == "yes":
        form = MergeForm(request.POST, entities=entities)
        if form.is_valid():
            return _merge(modeladmin, request, entities, form.cleaned_data["survivor"])
    else:
        usage = entity_usage(entities=entities)
        form = MergeForm(
            entities=entities, initial={"survivor": _default_survivor(entities, usage)}
        )

    usage = entity_usage(entities=entities)
    rows = [(entity, usage[entity.pk]) for entity in entities]
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Merge {len(entities)} {opts.verbose_name_plural}",
        "subtitle": None,
        "opts": opts,
        "rows": rows,
        "labels": [label for label, _ in rows[0][1].items()],
        "totals": [sum(u.items()[i][1] for _, u in rows) for i in range(len(rows[0][1].items()))],
        "form": form,
        "entities": entities,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/corpus/merge_confirmation.html", context)


def _merge(modeladmin, request, entities, survivor_pk: int):
    survivor = next(e for e in entities if e.pk == survivor_pk)
    merged = [e for e in entities if e.pk != survivor_pk]
    try:
        result = merge_entities(survivor=survivor, merged=merged, user=request.user)
    except MergeError as error:
        modeladmin.message_user(request, f"Nothing was merged. {error}", messages.ERROR)
        return None
    modeladmin.message_user(request, result.summary(), messages.SUCCESS)
    proxy = PROXIES[survivor.entity_type]._meta
    return HttpResponseRedirect(
        reverse(f"admin:{proxy.app_label}_{proxy.model_name}_change", args=[survivor.pk])
    )
