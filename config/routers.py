"""Primary / read-replica routing: public page reads go to a replica, everything else not.

With ``DATABASE_REPLICA_URLS`` set, settings add the aliases ``replica``, ``replica2`` …
``PinPrimaryMiddleware`` decides per request whether reads may use a replica:

- only safe methods (GET, HEAD, OPTIONS) outside ``/admin/`` may;
- a request that wrote (POST, PUT, PATCH, DELETE) sets a short-lived cookie, and while it
  lasts that browser's reads stay on the primary, so a curator sees their own change even
  when the replica lags behind;
- anything outside a request (management commands, tasks, the shell) uses the primary.

Writes always go to the primary; replicas are never migrated.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

PIN_COOKIE = "sitrep_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# True while the current request may read from a replica; False everywhere else.
_replica_reads = ContextVar("sitrep_replica_reads", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class PrimaryReplicaRouter:
    def __init__(self, replicas: list[str] | None = None):
        self._replicas = replicas

    @property
    def replicas(self) -> list[str]:
        return replica_aliases() if self._replicas is None else self._replicas

    def db_for_read(self, model, **hints):
        if _replica_reads.get() and self.replicas:
            return random.choice(self.replicas)  # noqa: S311 - load spreading, not secrets
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def may_read_replica(request) -> bool:
    return (
        request.method in SAFE_METHODS
        and not request.path.startswith(admin_prefix())
        and PIN_COOKIE not in request.COOKIES
    )


def admin_prefix() -> str:
    from django.urls import reverse

    return reverse("admin:index")


class PinPrimaryMiddleware:
    """Allows replica reads for public safe requests; pins a browser to the primary after a
    write for ``SITREP_REPLICA_PIN_SECONDS``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_reads.set(may_read_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 500:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.SITREP_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
