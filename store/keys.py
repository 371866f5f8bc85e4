"""The secret behind keyed hashes when none is configured: random, made once per database, then always the same."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import InstanceSecret

FILER_KEY = "filer_key"


def instance_secret(session: Session, *, name: str = FILER_KEY) -> bytes:
    """The database's own secret called `name`, made on first use; two processes making it at once keep one."""
    found = session.get(InstanceSecret, name)
    if found is None:
        try:
            with session.begin_nested():
                session.add(InstanceSecret(name=name, value=secrets.token_hex(32)))
        except IntegrityError:
            pass
        found = session.get(InstanceSecret, name, populate_existing=True)
    return bytes.fromhex(found.value)
