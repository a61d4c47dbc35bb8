"""The districts (区县) under a region, by name, for pickers: GB/T 2260 codes still in
use (python-stdnum's table) and Zhengzhou's functional zones (settings)."""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from stdnum import numdb

from .validators import region_name
from .visibility import jurisdiction_prefix


@lru_cache(maxsize=64)
def districts_under(region_code: str) -> tuple[tuple[str, str], ...]:
    """((code, name), …) of the county-level regions within `region_code`'s area
    (a province, a city or a district), current ones only, sorted by code."""
    prefix = jurisdiction_prefix(region_code)
    codes = set()
    for _length, province, _high, _props, children in numdb.get("cn/loc").prefixes:
        if province != prefix[:2]:
            continue
        for _l, rest, _h, props, _c in children:
            code = province + rest
            county = props.get("county", "")
            newest = county.split(",")[-1]
            ended = re.match(r"^\[\d*-(\d+)\]", newest)
            if code.startswith(prefix) and not code.endswith("00") and not ended \
                    and "市辖区" not in newest:
                codes.add(code)
    codes.update(c for c in settings.EXTRA_REGION_CODES if c.startswith(prefix))
    named = [(code, region_name(code)) for code in sorted(codes)]
    return tuple((code, name) for code, name in named if name)


def district_label(code: str) -> str:
    """「中原区（410102）」: the last part of the region's name and its code."""
    name = region_name(code)
    return f"{name.split(' ')[-1]}（{code}）" if name else code


def district_choices(region_code: str, *, empty: str = "全部区县") -> list[tuple[str, str]]:
    """Choices of a district picker for an authority of `region_code`."""
    options = [(code, district_label(code)) for code, _ in districts_under(region_code)]
    return [("", empty), *options] if region_code else [("", empty)]
