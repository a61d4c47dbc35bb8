"""Validators for Chinese identifiers: credit codes, region codes, phone numbers."""

import re
import unicodedata
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from stdnum import numdb
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise(value: str | None) -> str:
    """Full-width to half-width (NFKC), strip spaces and dashes, upper case."""
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-－—]", "", value).upper()


def organisation_check_digit(body: str) -> str:
    """GB 11714-1997 check character for the 8-character organisation code body."""
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_organisation_code(value: str) -> str:
    code = normalise(value)
    if len(code) != 9 or any(c not in _ORG_ALPHABET for c in code[:8]):
        raise ValidationError("组织机构代码应为9位（8位本体代码+1位校验码）", code="format")
    if code[8] != organisation_check_digit(code[:8]):
        raise ValidationError("组织机构代码校验位不正确，请核对后重新输入", code="checksum")
    return code


def validate_credit_code(value: str) -> str:
    """Return the normalised 18-char USCC or 9-char organisation code, or raise."""
    code = normalise(value)
    if not code:
        raise ValidationError("请输入统一社会信用代码/组织机构代码", code="required")
    if len(code) == 18:
        try:
            uscc.validate(code)
        except InvalidChecksum:
            raise ValidationError(
                "统一社会信用代码校验位不正确，请核对后重新输入", code="checksum"
            ) from None
        except StdnumError:
            raise ValidationError("统一社会信用代码格式不正确", code="format") from None
        return code
    if len(code) == 9:
        return validate_organisation_code(code)
    raise ValidationError(
        "请输入18位统一社会信用代码或9位组织机构代码", code="length"
    )


def region_from_credit_code(code: str) -> str:
    """Characters 3-8 of a valid USCC are its registration region code."""
    code = normalise(code)
    if len(code) == 18 and uscc.is_valid(code) and region_name(code[2:8]):
        return code[2:8]
    return ""


@lru_cache(maxsize=4096)
def region_name(code: str) -> str:
    """Name of a GB/T 2260 region (e.g. '河南省 郑州市 中原区'), or '' if unknown."""
    if not code or not re.fullmatch(r"\d{6}", code) or code.endswith("0000") and code[:2] == "00":
        return ""
    extra = settings.EXTRA_REGION_CODES
    if code in extra:
        parent = region_name(code[:4] + "00")
        return f"{parent} {extra[code]}".strip()
    info = numdb.get("cn/loc").info(code)
    names = {}
    for _part, props in info:
        names.update(props)
    county = names.get("county")
    if not county:
        return ""
    # entries look like "[1983-]中原区" or "[-2010]崇文区"; keep the newest, and
    # treat a code whose newest entry has ended as no longer existing
    newest = county.split(",")[-1]
    period = re.match(r"^\[(\d*)-(\d*)\]", newest)
    if period and period.group(2):
        return ""
    county = re.sub(r"^\[[^\]]*\]", "", newest)
    province = names.get("province", "")
    parts = [province]
    if not code.endswith("0000"):
        if not code.endswith("00"):
            city = region_name(code[:4] + "00").split(" ")[-1] if code[:4] + "00" != code else ""
            if city and city not in (province, "市辖区"):
                parts.append(city)
        if county != province:
            parts.append(county)
    return " ".join(p for p in parts if p)


def validate_region_code(value: str) -> str:
    code = normalise(value)
    if not re.fullmatch(r"\d{6}", code):
        raise ValidationError("注册地区编码应为6位数字", code="format")
    if not region_name(code):
        raise ValidationError("注册地区编码不存在，请核对后重新输入", code="unknown")
    return code


def validate_phone(value: str) -> str:
    phone = normalise(value)
    if phone.startswith("+86"):
        phone = phone[3:]
    if not _PHONE_RE.match(phone):
        raise ValidationError("请输入正确的11位手机号", code="phone")
    return phone


def validate_account_number(value: str | None) -> str:
    """A bank account number (e.g. 工资专用账户账号): digits only, spaces ignored."""
    number = "".join(unicodedata.normalize("NFKC", value or "").split())
    if number and not number.isdigit():
        raise ValidationError("账号只能由数字组成", code="digits")
    return number


def optional_phone(value: str | None) -> str:
    """An optional phone: empty stays empty, anything else must be a mobile number."""
    value = (value or "").strip()
    return validate_phone(value) if value else ""
