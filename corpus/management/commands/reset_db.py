"""Drop and recreate the app's database, then migrate it. Everything in it is lost."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from psycopg import sql


class Command(BaseCommand):
    help = "Drop and recreate the application database, then apply migrations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, interactive, **options):
        db = connections["default"].settings_dict
        name = db["NAME"]
        if interactive:
            answer = input(f"Drop database {name!r} and lose all its data? Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Reset cancelled.")
        connections.close_all()
        admin = connections["default"]._nodb_cursor()
        with admin as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connections.close_all()
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS(f"Database {name!r} recreated and migrated."))
