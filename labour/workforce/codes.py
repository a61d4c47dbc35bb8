"""The national code tables (工种, 证件类型, 民族, …), read from the data files in
`data/` (see data/README.md): nothing of them is written in Python.

    WORK_TYPES.label("010")          → "砌筑工"
    WORK_TYPES.code_for("砌筑工")     → "010"   (also accepts "010" or "010 砌筑工")
    WORK_TYPES.choices()             → [("010", "010 砌筑工"), …]
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def _rows(filename: str) -> tuple[tuple[str, str], ...]:
    with (DATA / filename).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = tuple((row["code"].strip(), row["name"].strip()) for row in reader)
    if not rows:
        raise ValueError(f"code table {filename} is empty")
    return rows


@dataclass(frozen=True)
class CodeTable:
    """One dictionary. `show_code`: the code is part of what users read (工种)."""

    title: str
    filename: str
    show_code: bool = False
    suffix: str = ""  # shown after the name (民族: "汉" is shown "汉族")

    def rows(self) -> tuple[tuple[str, str], ...]:
        return _rows(self.filename)

    def codes(self) -> list[str]:
        return [code for code, _ in self.rows()]

    def display(self, code: str, name: str) -> str:
        return f"{code} {name}" if self.show_code else f"{name}{self.suffix}"

    def choices(self) -> list[tuple[str, str]]:
        return [(code, self.display(code, name)) for code, name in self.rows()]

    def labels(self) -> list[str]:
        """What a drop-down of the import template offers (one per row)."""
        return [self.display(code, name) for code, name in self.rows()]

    def label(self, code: str) -> str:
        for row_code, name in self.rows():
            if row_code == code:
                return f"{name}{self.suffix}"
        return code

    def name(self, code: str) -> str:
        return next((name for row_code, name in self.rows() if row_code == code), "")

    def __contains__(self, code: object) -> bool:
        return any(row_code == code for row_code, _ in self.rows())

    def code_for(self, text: str) -> str | None:
        """The code of a cell's text: the code itself, the name (with or without the
        suffix), or "code name" as the drop-down writes it. None when unknown."""
        text = " ".join(str(text or "").split())
        if not text:
            return None
        for code, name in self.rows():
            if text in (code, name, f"{name}{self.suffix}", f"{code} {name}"):
                return code
        return None


WORK_TYPES = CodeTable("工种", "work_types.csv", show_code=True)
ID_TYPES = CodeTable("证件类型", "id_types.csv")
NATIONS = CodeTable("民族", "nations.csv", suffix="族")
POLITICS_TYPES = CodeTable("政治面貌", "politics_types.csv")
CULTURE_LEVELS = CodeTable("文化程度", "culture_levels.csv")
CONTRACT_PERIOD_TYPES = CodeTable("合同期限类型", "contract_period_types.csv")
MEASURE_UNITS = CodeTable("计量单位", "measure_units.csv")

# 证件类型 01: the resident identity card, whose number carries gender and birth date
RESIDENT_ID_CARD = "01"
# 工种 900: 管理人员
MANAGEMENT_WORK_TYPE = "900"


@dataclass(frozen=True)
class Bank:
    code: str
    name: str


@cache
def banks() -> tuple[Bank, ...]:
    """开户银行: a name and its 3-digit category code (郑州银行 and 中原银行 are 313)."""
    return tuple(Bank(code, name) for code, name in _rows("banks.csv"))


def bank_named(name: str) -> Bank | None:
    name = " ".join(str(name or "").split())
    return next((bank for bank in banks() if bank.name == name), None)
