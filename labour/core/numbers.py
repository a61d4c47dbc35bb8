from django.db import models


def next_number(model: type[models.Model], field: str, prefix: str, width: int = 5) -> str:
    """The next `prefix` + zero-padded sequence for `model.field` (e.g. QY2026112900001).
    Callers retry on IntegrityError: the field is unique, so a concurrent writer that
    took the same number makes one of them try again. The range (prefix ≤ number <
    the next prefix) lets the unique index find the last one at once whatever the
    collation (LIKE 'prefix%' alone walks the index back from the newest numbers)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    last = (model._default_manager.filter(**{f"{field}__startswith": prefix, f"{field}__gte": prefix,
                                             f"{field}__lt": upper})
            .order_by(f"-{field}").values_list(field, flat=True).first())
    return f"{prefix}{(int(last[len(prefix):]) + 1) if last else 1:0{width}d}"
