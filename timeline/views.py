"""Timeline pages: the list of events and one event with its evidence."""

from django.views.generic import DetailView, ListView

from timeline.models import Event


class TimelineView(ListView):
    template_name = "timeline/timeline.html"
    paginate_by = 50

    def get_queryset(self):
        return Event.objects.chronological().select_related("place").with_citations()


class EventDetailView(DetailView):
    template_name = "timeline/event_detail.html"

    def get_queryset(self):
        return (
            Event.objects.select_related("place")
            .prefetch_related("event_actors__actor", "event_weapons__weapon")
            .with_citations()
        )
