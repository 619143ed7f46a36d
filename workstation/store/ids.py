"""File ids → UUIDs. Derived deterministically so that importing the same file twice,
on the same laptop or on two, gives the same ids and merges instead of duplicating."""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("7b1f4a52-3c2e-4f0e-9a57-2f0c5b1d9e11")


def is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def scoped_id(scope: str, external: str) -> tuple[str, str | None]:
    """(uuid, external id to keep): a UUID in the file is used as is and needs no external id."""
    if is_uuid(external):
        return external, None
    return str(uuid.uuid5(NAMESPACE, f"{scope}/{external}")), external


def document_id(text_sha256: str) -> str:
    """The same article gets the same id on every laptop that imports it."""
    return str(uuid.uuid5(NAMESPACE, f"document/{text_sha256}"))
