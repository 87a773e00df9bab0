"""The event taxonomy. Documented in README.md; keep the two in step."""

from django.db import models


class EventType(models.TextChoices):
    DECISION = "decision", "Decision / authorisation"
    STATEMENT = "statement", "Statement"
    WARNING = "warning", "Warning / threat"
    DEPLOYMENT = "deployment", "Deployment"
    SUPPLY = "supply", "Arms supply"
    STRIKE = "strike", "Strike"
    COMBAT = "combat", "Combat / offensive"
    DIPLOMACY = "diplomacy", "Diplomacy"
    REPORT = "report", "Media report"
    OTHER = "other", "Other"


class EventStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    REPORTED = "reported", "Reported"
    CLAIMED = "claimed", "Claimed"
    DENIED = "denied", "Denied"
    DISPUTED = "disputed", "Disputed"


class ActorRole(models.TextChoices):
    INITIATOR = "initiator", "Initiator"
    TARGET = "target", "Target"
    SPEAKER = "speaker", "Speaker"
    SUBJECT = "subject", "Subject"
    PARTICIPANT = "participant", "Participant"
    SOURCE = "source", "Source"
