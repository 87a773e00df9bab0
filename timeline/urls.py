from django.urls import path

from timeline import views

app_name = "timeline"

urlpatterns = [
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
]
