"""File ids → UUIDs. Derived deterministically so that importing the same file twice,
on the same laptop or on two, gives the same ids and merges instead of duplicating."""

from __future__ import annotations

import hashlib
import re
import uuid

NAMESPACE = uuid.UUID("7b1f4a52-3c2e-4f0e-9a57-2f0c5b1d9e11")
_UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_uuid(value: str) -> bool:
    return _UUID_TEXT.match(value) is not None


def uuid5_text(name: str) -> str:
    """`str(uuid.uuid5(NAMESPACE, name))` without building UUID objects (imports derive millions)."""
    digest = bytearray(hashlib.sha1(NAMESPACE.bytes + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def scoped_id(scope: str, external: str) -> tuple[str, str | None]:
    """(uuid, external id to keep): a UUID in the file is used as is and needs no external id."""
    if is_uuid(external):
        return external, None
    return uuid5_text(f"{scope}/{external}"), external


def document_id(text_sha256: str) -> str:
    """The same article gets the same id on every laptop that imports it."""
    return uuid5_text(f"document/{text_sha256}")
