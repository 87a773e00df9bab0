"""Report on or stop the embedded PostgreSQL server (used when DATABASE_URL is unset)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.embedded_db import stop_server


class Command(BaseCommand):
    help = "Show the embedded PostgreSQL server's status, or stop it: embedded_db [status|stop]."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"], nargs="?", default="status")

    def handle(self, *args, action, **options):
        if settings.DATABASE_URL:
            raise CommandError("DATABASE_URL is set: Sitrep is not using the embedded server.")
        pgdata = settings.EMBEDDED_PGDATA
        if action == "stop":
            # Closing our own pooled connections first lets the server shut down promptly.
            from django.db import connections

            connections.close_all()
            stopped = stop_server(pgdata)
            message = "Embedded PostgreSQL stopped." if stopped else "It was not running."
            self.stdout.write(self.style.SUCCESS(message))
            return
        db = settings.DATABASES["default"]
        self.stdout.write(f"Data folder: {pgdata}\nSocket: {db['HOST']} port {db['PORT']}")
