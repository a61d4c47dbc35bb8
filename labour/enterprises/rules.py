"""Rules of an enterprise's certified details, shared by the certification form, its
service and any later import."""

from datetime import date

from django.core.exceptions import ValidationError


def check_certificate_dates(*, valid_until: date | None, long_term: bool, registered_on: date | None,
                            today: date) -> date | None:
    """证书有效截止日期 (or 长期) against 注册日期 and today. Returns the date to keep
    (None for 长期); raises ValidationError with the message for the field."""
    if long_term:
        return None
    if valid_until is None:
        raise ValidationError("请选择证书有效截止日期，或勾选“长期”", code="required")
    if valid_until < today:
        raise ValidationError("证书已过有效期，请上传有效期内的证书", code="expired")
    if registered_on and valid_until <= registered_on:
        raise ValidationError("证书有效截止日期应晚于注册日期", code="order")
    return valid_until


def check_registered_on(value: date, *, today: date) -> date:
    if value > today:
        raise ValidationError("注册日期不能晚于今天", code="future")
    return value
