"""Create a staff user in a role: curator, analyst or admin.

The password is read from standard input with --password-stdin, or prompted for without
echo; it is never taken as an argument, so it stays out of shell history and process lists.
"""

import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

ROLES = {"curator": "Curator", "analyst": "Analyst", "admin": None}


class Command(BaseCommand):
    help = (
        "Create a staff user in a role. curator: edits entities, aliases, events, citations "
        "and the review queue; analyst: read-only admin; admin: superuser."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )

    def handle(self, *args, username, email, role, password_stdin, verbosity, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")
        group = None
        if ROLES[role]:
            group = Group.objects.filter(name=ROLES[role]).first()
            if group is None:
                raise CommandError(f"The {ROLES[role]} group is missing: run `migrate` first.")
        password = self._password(password_stdin)
        user = User(username=username, email=email, is_staff=True, is_superuser=role == "admin")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error
        with transaction.atomic():
            user.set_password(password)
            user.save()
            if group is not None:
                user.groups.add(group)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Created {role} {username!r}."))

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        else:
            raise CommandError("No terminal to prompt on: pass the password with --password-stdin.")
        if not password:
            raise CommandError("The password is empty.")
        return password
