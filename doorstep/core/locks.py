"""One machine at a time (单机执行): `exclusive("tick")` around a periodic job that several
machines may start at once. PostgreSQL: a session advisory lock (released by PostgreSQL itself if
the process dies); other databases: a `Lease` row that expires."""

import os
import socket
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Lease

LEASE_FOR = timedelta(minutes=30)


def _advisory_key(name: str) -> int:
    return zlib.crc32(f"doorstep:{name}".encode())


def _lease_take(name: str, holder: str) -> bool:
    now = timezone.now()
    with transaction.atomic():
        taken = Lease.objects.filter(Q(expires_at__lt=now) | Q(holder=holder), name=name).update(
            holder=holder, expires_at=now + LEASE_FOR
        )
        if taken:
            return True
        _lease, created = Lease.objects.get_or_create(
            name=name, defaults={"holder": holder, "expires_at": now + LEASE_FOR}
        )
        return created


@contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """Yield True while this process alone holds `name`, False (at once, no waiting) if another
    one does."""
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    held = _lease_take(name, holder)
    try:
        yield held
    finally:
        if held:
            Lease.objects.filter(name=name, holder=holder).delete()
