"""The rules of the roster's items, in one place: the forms, the services and the
Excel import all check a value with the same function and get the same Chinese
message.

`check_*()` functions take raw values (text from a cell, or what a form field
cleaned) and return (cleaned values, {field: message}); services raise the first
message as a ServiceError, the forms and the import show every one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from labour.core.validators import validate_phone

from .choices import AgreementKind, Gender, WorkerRole
from .codes import (
    CONTRACT_PERIOD_TYPES,
    CULTURE_LEVELS,
    ID_TYPES,
    MANAGEMENT_WORK_TYPE,
    MEASURE_UNITS,
    NATIONS,
    POLITICS_TYPES,
    RESIDENT_ID_CARD,
    WORK_TYPES,
    bank_named,
)

NUMERIC_ID_CELL = "身份证号被 Excel 转为数字，请将该列设为文本格式后重新填写"
NUMERIC_CARD_CELL = "卡号被 Excel 转为数字，请将该列设为文本格式后重新填写"
LONG_TERM = "长期"

Errors = dict[str, str]


class Invalid(Exception):
    """One item is wrong; the message is what the user reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def today() -> dt.date:
    return timezone.localdate()


def text(value: Any) -> str:
    """A cell or field as text: full-width folded (NFKC), spaces collapsed."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def echo(value: Any) -> str:
    """A typed value quoted back in a message — unless it may be a personal number
    typed into the wrong column (messages are kept in the import's preview)."""
    shown = text(value)
    if sum(c.isdigit() for c in shown) >= 6 or len(shown) > 20:
        return "所填内容"
    return f"“{shown}”"


def compact(value: Any) -> str:
    """A number typed by hand: full-width folded, every space and dash removed."""
    return re.sub(r"[\s\-－—]", "", unicodedata.normalize("NFKC", str(value or ""))).upper()


# ------------------------------------------------------------------ ID numbers

@dataclass(frozen=True)
class ResidentId:
    number: str
    gender: str
    birth_date: dt.date


@lru_cache(maxsize=8192)
def region_known(code: str) -> bool:
    """A GB/T 2260 county code that exists or existed (python-stdnum's table), or one
    of Zhengzhou's functional zones. Numbers keep the code of the county that issued
    them, which may be younger than the person (中原区 dates from 1983): unlike
    stdnum's ric.validate, the birth year is not held against the code."""
    if code in settings.EXTRA_REGION_CODES:
        return True
    props: dict[str, str] = {}
    for _part, found in numdb.get("cn/loc").info(code):
        props.update(found)
    return bool(props.get("county"))


def resident_id(value: Any) -> ResidentId:
    """证件号码 of a 居民身份证 (GB 11643): 18 characters, the check digit
    (python-stdnum's cn.ric), a real birth date and a known region; lower-case x
    and full-width characters are normalised."""
    number = compact(value)
    if not number:
        raise Invalid("请输入证件号码")
    if len(number) != 18:
        raise Invalid("居民身份证号码应为18位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise Invalid("居民身份证号码前17位应为数字，第18位为数字或X")
    if number[17] != ric.calc_check_digit(number):
        raise Invalid("居民身份证号码校验位不正确，请核对后重新输入")
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent:
        raise Invalid("居民身份证号码中的出生日期不正确") from None
    if born > today() or born.year < 1900:
        raise Invalid("居民身份证号码中的出生日期不正确")
    if not region_known(number[:6]):
        raise Invalid("居民身份证号码中的地区编码不存在")
    gender = Gender.MALE if int(number[16]) % 2 == 1 else Gender.FEMALE
    return ResidentId(number, gender, born)


def make_resident_id(region: str, born: dt.date, sequence: int) -> str:
    """A 居民身份证 number with a valid GB 11643 check digit (demo and test data):
    `sequence` 0–999, odd for a man."""
    first17 = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def other_id_number(value: Any) -> str:
    number = compact(value)
    if not number:
        raise Invalid("请输入证件号码")
    if len(number) > 30 or not re.fullmatch(r"[0-9A-Z()（）]+", number):
        raise Invalid("证件号码只能由字母和数字组成，最长30位")
    return number


def id_number_for(id_type: str, value: Any) -> str:
    if id_type == RESIDENT_ID_CARD:
        return resident_id(value).number
    return other_id_number(value)


# ------------------------------------------------------------------ single items

def required_text(label: str, max_length: int) -> Callable[[Any], str]:
    def rule(value: Any) -> str:
        cleaned = text(value)
        if not cleaned:
            raise Invalid(f"请填写{label}")
        if len(cleaned) > max_length:
            raise Invalid(f"{label}最多{max_length}个字")
        return cleaned
    return rule


def optional_text(label: str, max_length: int) -> Callable[[Any], str]:
    def rule(value: Any) -> str:
        cleaned = text(value)
        if len(cleaned) > max_length:
            raise Invalid(f"{label}最多{max_length}个字")
        return cleaned
    return rule


def person_name(value: Any) -> str:
    name = required_text("姓名", 50)(value)
    if re.search(r"[0-9<>@#$%&*=/\\]", name):
        raise Invalid("姓名不能含有数字或符号")
    return name


def code_in(table: Any, *, required: bool = True) -> Callable[[Any], str]:
    def rule(value: Any) -> str:
        if value in (None, ""):
            if required:
                raise Invalid(f"请选择{table.title}")
            return ""
        code = table.code_for(value)
        if code is None:
            raise Invalid(f"{table.title}{echo(value)}不在全国平台的代码表中")
        return code
    return rule


def nation(value: Any) -> str:
    """民族: kept as printed on the ID card (“汉”), as the national platform wants it."""
    if value in (None, ""):
        raise Invalid("请选择民族")
    code = NATIONS.code_for(value)
    if code is None:
        raise Invalid(f"民族{echo(value)}不是56个民族之一")
    return NATIONS.name(code)


def phone(value: Any) -> str:
    try:
        return validate_phone(text(value))
    except ValidationError as exc:
        raise Invalid(exc.messages[0]) from None


def optional_phone(value: Any) -> str:
    return phone(value) if text(value) else ""


def date_value(value: Any, label: str, *, required: bool = True) -> dt.date | None:
    """A date from a form (a date) or a cell (a date, or text 2026-01-05 / 2026/1/5 /
    2026.1.5 / 20260105)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    cleaned = text(value)
    if not cleaned:
        if required:
            raise Invalid(f"请填写{label}")
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise Invalid(f"{label}应为日期，如 2026-01-05")
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", cleaned) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", cleaned)
    if not match:
        raise Invalid(f"{label}应为日期，如 2026-01-05")
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise Invalid(f"{label}不是有效的日期") from None


def past_date(value: Any, label: str, *, required: bool = True) -> dt.date | None:
    day = date_value(value, label, required=required)
    if day is not None and day > today():
        raise Invalid(f"{label}不能晚于今天")
    return day


def yes_no(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    cleaned = text(value)
    if cleaned in ("是", "1", "Y", "y", "yes", "TRUE", "True", "true"):
        return True
    if cleaned in ("", "否", "0", "N", "n", "no", "FALSE", "False", "false"):
        return False
    raise Invalid(f"{label}请填写“是”或“否”")


def card_number(value: Any) -> str:
    """卡号: 12–19 digits, spaces ignored."""
    number = compact(value)
    if not number:
        raise Invalid("请填写卡号")
    if not number.isdigit() or not 12 <= len(number) <= 19:
        raise Invalid("卡号应为12至19位数字")
    return number


def link_number(value: Any) -> str:
    number = compact(value)
    if number and not re.fullmatch(r"\d{12}", number):
        raise Invalid("联行号应为12位数字")
    return number


def _collect(data: dict[str, Any], rules: dict[str, Callable[[Any], Any]],
             errors: Errors) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for field, rule in rules.items():
        try:
            cleaned[field] = rule(data.get(field))
        except Invalid as exc:
            errors[field] = exc.message
    return cleaned


# ------------------------------------------------------------------ the parts

PERSON_LABELS = {
    "name": "姓名", "id_type": "证件类型", "id_number": "证件号码", "gender": "性别",
    "birth_date": "出生日期", "nation": "民族", "grant_org": "发证机关",
    "id_valid_from": "证件有效期开始", "id_valid_until": "证件有效期结束", "address": "住址",
    "phone": "手机号", "politics_type": "政治面貌", "culture_level": "文化程度",
    "urgent_contact_name": "紧急联系人", "urgent_contact_phone": "紧急联系人电话",
}


def check_identity(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """姓名, 证件类型 and 证件号码 (what finds a person); for a 居民身份证 also the
    gender and birth date the number carries."""
    errors: Errors = {}
    cleaned = _collect(data, {"name": person_name, "id_type": code_in(ID_TYPES)}, errors)
    id_type = cleaned.get("id_type")
    if id_type is not None:
        try:
            if id_type == RESIDENT_ID_CARD:
                found = resident_id(data.get("id_number"))
                cleaned.update(id_number=found.number, gender=found.gender,
                               birth_date=found.birth_date)
            else:
                cleaned["id_number"] = other_id_number(data.get("id_number"))
        except Invalid as exc:
            errors["id_number"] = exc.message
    return cleaned, errors


def check_person(data: dict[str, Any], *, identity: bool = True) -> tuple[dict[str, Any], Errors]:
    """The person part of 新增人员 (or, with identity=False, of an edit: the ID type and
    number stay as they are; `id_type` must still be given)."""
    errors: Errors = {}
    if identity:
        cleaned, errors = check_identity(data)
    else:
        cleaned = {"id_type": data.get("id_type")}
        cleaned.update(_collect(data, {"name": person_name}, errors))
    cleaned.update(_collect(data, {
        "nation": nation,
        "grant_org": required_text("发证机关", 60),
        "address": required_text("住址", 200),
        "phone": phone,
        "politics_type": code_in(POLITICS_TYPES),
        "culture_level": code_in(CULTURE_LEVELS),
        "urgent_contact_name": optional_text("紧急联系人", 50),
        "urgent_contact_phone": optional_phone,
    }, errors))
    if cleaned.get("id_type") and cleaned["id_type"] != RESIDENT_ID_CARD:
        cleaned.update(_collect(data, {
            "gender": lambda v: _gender(v),
            "birth_date": lambda v: past_date(v, "出生日期"),
        }, errors))
    elif not identity and data.get("birth_date"):
        cleaned["birth_date"], cleaned["gender"] = data["birth_date"], data.get("gender")
    try:
        cleaned["id_valid_from"] = past_date(data.get("id_valid_from"), "证件有效期开始")
    except Invalid as exc:
        errors["id_valid_from"] = exc.message
    until = data.get("id_valid_until")
    try:
        if data.get("id_long_term") or text(until) == LONG_TERM:
            cleaned["id_valid_until"] = None
        else:
            end = date_value(until, "证件有效期结束（或勾选长期）")
            if end is not None and end < today():
                raise Invalid("证件已过有效期，请使用有效证件")
            if end is not None and cleaned.get("id_valid_from") and end < cleaned["id_valid_from"]:
                raise Invalid("证件有效期结束不能早于开始")
            cleaned["id_valid_until"] = end
    except Invalid as exc:
        errors["id_valid_until"] = exc.message
    return cleaned, errors


def _gender(value: Any) -> str:
    if value in Gender.values:
        return str(value)
    cleaned = text(value)
    for choice in Gender:
        if cleaned == choice.label:
            return str(choice.value)
    raise Invalid("请选择性别")


PROJECT_PART_LABELS = {
    "team": "班组", "work_role": "工人类型", "work_type": "工种", "is_team_leader": "是否班组长",
    "safety_training_date": "基本安全培训日期", "has_insurance": "是否购买工伤或意外伤害保险",
}


def _work_role(value: Any) -> str:
    if value in WorkerRole.values:
        return str(value)
    cleaned = text(value)
    for choice in WorkerRole:
        if cleaned in (choice.label, choice.value):
            return str(choice.value)
    raise Invalid("请选择工人类型（建筑工人或管理人员）")


def check_project_part(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """The project part: 工人类型, 工种, 是否班组长, 基本安全培训, 保险 (the 班组 is the
    caller's: it must be one of the participant's teams on the project)."""
    errors: Errors = {}
    cleaned = _collect(data, {
        "work_role": _work_role,
        "work_type": code_in(WORK_TYPES),
        "is_team_leader": lambda v: yes_no(v, "是否班组长"),
        "safety_training_date": lambda v: past_date(v, "基本安全培训日期", required=False),
        "has_insurance": lambda v: yes_no(v, "是否购买工伤或意外伤害保险"),
    }, errors)
    if (cleaned.get("work_type") == MANAGEMENT_WORK_TYPE
            and cleaned.get("work_role") == WorkerRole.BUILDER and "work_role" not in errors):
        errors["work_role"] = "工种为管理人员时，工人类型应为管理人员"
    return cleaned, errors


CARD_LABELS = {"bank": "开户银行", "branch_name": "开户支行名称", "link_number": "联行号",
               "card_number": "卡号"}


def _bank(value: Any) -> tuple[str, str]:
    found = bank_named(text(value))
    if found is None:
        raise Invalid("请从列表中选择开户银行")
    return found.code, found.name


def check_card(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """工资卡: 开户银行 (a name of the bank list, with its 3-digit code), 开户支行名称,
    联行号 (optional), 卡号."""
    errors: Errors = {}
    cleaned = _collect(data, {
        "bank": _bank,
        "branch_name": required_text("开户支行名称", 100),
        "link_number": link_number,
        "card_number": card_number,
    }, errors)
    if "bank" in cleaned:
        cleaned["bank_code"], cleaned["bank_name"] = cleaned.pop("bank")
    return cleaned, errors


def _unit_price(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid("单价应为金额，如 350.00") from None
    if not price.is_finite() or price < 0 or price >= Decimal("10000000000"):
        raise Invalid("单价应为0或正数金额")
    if price != price.quantize(Decimal("0.01")):
        raise Invalid("单价最多两位小数")
    return price.quantize(Decimal("0.01"))


def _agreement(value: Any) -> str:
    if value in AgreementKind.values:
        return str(value)
    raise Invalid("请选择协议类型")


def check_contract(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """劳动合同 / 用工书面协议: 协议类型, 期限类型, 开始日期 and 结束日期 (both required,
    in order), 计量单位 and 单价 (optional, together)."""
    errors: Errors = {}
    cleaned = _collect(data, {
        "agreement_kind": _agreement,
        "period_type": code_in(CONTRACT_PERIOD_TYPES),
        "start_date": lambda v: date_value(v, "开始日期"),
        "end_date": lambda v: date_value(v, "结束日期"),
        "unit": code_in(MEASURE_UNITS, required=False),
        "unit_price": _unit_price,
    }, errors)
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        errors["end_date"] = "结束日期不能早于开始日期"
    if cleaned.get("unit_price") is not None and not cleaned.get("unit") and "unit" not in errors:
        errors["unit"] = "填写单价时请选择计量单位"
    if cleaned.get("unit") and cleaned.get("unit_price") is None and "unit_price" not in errors:
        errors["unit_price"] = "选择计量单位时请填写单价"
    return cleaned, errors


def check_team(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """班组: 班组名称, 责任人 (name, phone), 进场日期, 退场日期 (not in the future, in
    order), 备注. The 班组长 is the caller's (a worker of the team)."""
    errors: Errors = {}
    cleaned = _collect(data, {
        "name": required_text("班组名称", 100),
        "responsible_name": optional_text("责任人姓名", 50),
        "responsible_phone": optional_phone,
        "entry_date": lambda v: past_date(v, "进场日期", required=False),
        "exit_date": lambda v: past_date(v, "退场日期", required=False),
        "remark": optional_text("备注", 200),
    }, errors)
    entry, exit_ = cleaned.get("entry_date"), cleaned.get("exit_date")
    if exit_ and not entry and "entry_date" not in errors:
        errors["entry_date"] = "填写退场日期前请先填写进场日期"
    if entry and exit_ and exit_ < entry:
        errors["exit_date"] = "退场日期不能早于进场日期"
    return cleaned, errors


def age_flag(*, age: int, gender: str) -> str:
    """A note (not a refusal) for a worker past the configured age."""
    limit = (settings.WORKFORCE_AGE_FLAG_FEMALE if gender == Gender.FEMALE
             else settings.WORKFORCE_AGE_FLAG_MALE)
    return f"已满{limit}周岁" if age >= limit else ""
