"""A restored record's sealed fields, sealed again for the store on this computer.

On the team server a record's case reference and notes stay as its device sealed them:
to the handler's public key, bound to the id of that device's store (``sealed_in``), the
record and the field. A restore onto another computer (whose key slot holds the same key
pair, brought back by :mod:`app.sync.keycopy`) opens each value under the store id it was
sealed in and seals it again for this store, with the blind index of the case reference,
so the records read back in full here and "seen before" matching finds them. A value
this key cannot open (another key pair) is kept exactly as it came.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import Engine

from app.storage.sealing import SEALED_FIELDS, FieldKeys, field_keys_for, is_sealed, seal, unseal
from app.sync.payload import Payload


def for_this_store(local: Engine, payloads: list[Payload]) -> list[Payload]:
    """``payloads`` as this store keeps them (sealed for it, ``sealed_in`` empty)."""
    keys = field_keys_for(local)
    if keys is None:
        return payloads
    return [_resealed(keys, item) for item in payloads]


def _resealed(keys: FieldKeys, item: Payload) -> Payload:
    origin = item.row.get("sealed_in")
    if origin is None or item.handler != keys.owner:
        return item
    row = dict(item.row, sealed_in=None)
    if origin == keys.store_id:
        return replace(item, row=row)
    opened = _opened(keys, str(origin), item.record_id, row)
    if opened is None:
        return item
    row.update(opened)
    keys.seal_values(row)  # sealed for this store, with the blind index
    versions = []
    for version in item.versions:
        data = json.loads(str(version["data"]))
        found = _opened(keys, str(origin), item.record_id, data)
        if found is None:
            return item
        for name, value in found.items():
            data[name] = seal(value, keys.private.public_key(), keys.store_id, item.record_id, name)
        versions.append({**version, "data": json.dumps(data, ensure_ascii=False)})
    return replace(item, row=row, versions=tuple(versions))


def _opened(
    keys: FieldKeys, origin: str, record_id: str, values: dict[str, Any]
) -> dict[str, str] | None:
    """The plaintext of the sealed fields in ``values``, or ``None`` if one does not open."""
    found: dict[str, str] = {}
    for name in SEALED_FIELDS:
        value = values.get(name)
        if is_sealed(value):
            plain = unseal(str(value), keys.private, origin, record_id, name)
            if plain is None:
                return None
            found[name] = plain
    return found
