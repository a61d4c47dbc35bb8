"""Masks for personal numbers (PIPL): what pages, logs and the audit log show.

    138****5678   410102********1234   ****1234
"""

from collections.abc import Callable
from typing import Any


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) == 11 else phone


def mask_id_number(value: str) -> str:
    """An ID number: the region (6) and the last 4 stay, the birth date is hidden."""
    if not value or len(value) < 10:
        return "*" * len(value or "")
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_card_number(value: str) -> str:
    return f"****{value[-4:]}" if value and len(value) > 4 else "****"


def _hidden(_value: str) -> str:
    return "******"


# key (or key suffix) in audit details / changes → how its value is shown
_BY_KEY: list[tuple[str, Callable[[str], str]]] = [
    ("password", _hidden),
    ("verification_code", _hidden),
    ("phone", mask_phone),
    ("id_number", mask_id_number),
    ("card_number", mask_card_number),
    ("account_no", mask_card_number),
]


def masker_for(key: str) -> Callable[[str], str] | None:
    """The mask for a detail key: `admin_phone` is a phone, `new_password` a secret.
    Public identifiers (credit codes, project codes) are not personal and stay."""
    for suffix, mask in _BY_KEY:
        if key == suffix or key.endswith(f"_{suffix}"):
            return mask
    return None


def mask_detail(data: Any, key: str = "") -> Any:
    """`data` with every value under a personal key masked (recursively)."""
    if isinstance(data, dict):
        return {k: mask_detail(v, str(k)) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [mask_detail(v, key) for v in data]
    mask = masker_for(key) if key else None
    if mask is not None and isinstance(data, str) and data:
        return mask(data)
    return data
