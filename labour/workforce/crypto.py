"""Personal numbers at rest (PIPL §28): authenticated encryption and a keyed hash.

- `encrypt` / `decrypt`: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`)
  with the keys of settings.FIELD_ENCRYPTION_KEYS. New values are written with the
  first key; every key is tried to read, so a key is rotated by putting the new one
  first and running `manage.py rotate_field_keys` before dropping the old one.
- `lookup_hash`: HMAC-SHA256 keyed by settings.LOOKUP_HMAC_KEY, separate from the
  encryption keys, for equality look-ups and uniqueness (an ID number per ID type,
  a card number, a phone) without decrypting anything. `purpose` keeps the hashes
  of different kinds of number apart.

Lists decrypt only the rows they show; nothing is decrypted to filter.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


class UnreadableValue(Exception):
    """A stored value none of the configured keys can read (a key was dropped)."""


@cache
def _fernet() -> MultiFernet:
    keys = [k for k in settings.FIELD_ENCRYPTION_KEYS if k]
    if not keys:
        raise RuntimeError("FIELD_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


@cache
def _hmac_key() -> bytes:
    key = settings.LOOKUP_HMAC_KEY
    if not key:
        raise RuntimeError("LOOKUP_HMAC_KEY is empty")
    return key.encode()


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: object) -> None:
    if setting in ("FIELD_ENCRYPTION_KEYS", "LOOKUP_HMAC_KEY"):
        _fernet.cache_clear()
        _hmac_key.cache_clear()


def encrypt(value: str) -> str:
    """The token of `value` ("" stays "")."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise UnreadableValue("stored value cannot be read with the configured keys") from None


def encrypt_bytes(data: bytes) -> bytes:
    """A file's content (an uploaded roster) encrypted for private storage."""
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken:
        raise UnreadableValue("stored file cannot be read with the configured keys") from None


def rotate(token: str) -> str:
    """`token` re-encrypted with the first key (for rotate_field_keys)."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise UnreadableValue("stored value cannot be read with the configured keys") from None


def lookup_hash(value: str, *, purpose: str) -> str:
    """The keyed hash of `value` for look-ups ("" stays ""): 64 hex characters."""
    if not value:
        return ""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(_hmac_key(), message, hashlib.sha256).hexdigest()


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
