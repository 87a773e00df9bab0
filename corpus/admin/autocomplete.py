"""Entity autocomplete that says what each entity is: "North Korea (Place · Country)".

Where any entity type may be picked (an alias's entity, a review name's entity), two entities
often share a name (North Korea the state actor and the place); the type and kind tell them
apart. Typed fields (an event's actors) keep Django's plain widget.
"""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse


class EntityAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        result["text"] = f"{obj} ({obj.get_entity_type_display()} · {obj.kind_label})"
        return result


class EntityAutocompleteSelect(AutocompleteSelect):
    def get_url(self):
        return reverse(f"{self.admin_site.name}:corpus_entity_typed_autocomplete")


class EntityAutocompleteMixin:
    """For admins whose foreign keys to Entity take any type: label results with the type."""

    entity_autocomplete_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.entity_autocomplete_fields:
            kwargs["widget"] = EntityAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
