import re
import secrets
import string

from django.conf import settings
from django.core.exceptions import ValidationError

# letters and digits that are not easily confused when read from an SMS
_RANDOM_LETTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
_RANDOM_DIGITS = "23456789"


def rule_text():
    return (f"密码长度{settings.PASSWORD_MIN_LENGTH}-{settings.PASSWORD_MAX_LENGTH}位,"
            "数字、字母的组合")


def check_password_rule(password):
    low, high = settings.PASSWORD_MIN_LENGTH, settings.PASSWORD_MAX_LENGTH
    if not low <= len(password) <= high:
        raise ValidationError(f"密码长度应为{low}-{high}位", code="length")
    if not re.fullmatch(r"[A-Za-z0-9]+", password):
        raise ValidationError("密码只能由数字和字母组成", code="chars")
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        raise ValidationError("密码须同时包含数字和字母", code="mix")


class SeedPasswordValidator:
    """seed 2.7: 密码长度6-20位,数字、字母的组合 (bounds from settings)."""

    def validate(self, password, user=None):
        check_password_rule(password)

    def get_help_text(self):
        return rule_text()


def random_password(length=10):
    length = max(settings.PASSWORD_MIN_LENGTH, min(length, settings.PASSWORD_MAX_LENGTH))
    while True:
        chars = [secrets.choice(_RANDOM_LETTERS + _RANDOM_DIGITS) for _ in range(length)]
        candidate = "".join(chars)
        if any(c in string.ascii_letters for c in candidate) and any(c.isdigit() for c in candidate):
            return candidate
