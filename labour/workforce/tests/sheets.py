"""Roster workbooks for the import tests: the downloaded template, filled in."""

import io

from openpyxl import load_workbook

from labour.workforce.importing import COLUMNS, template_workbook

KEYS = [c.key for c in COLUMNS]


def good_row(number, name="测试工人", team="钢筋一班", **overrides):
    row = {
        "name": name, "id_type": "居民身份证", "id_number": number, "gender": "", "birth_date": "",
        "nation": "汉族", "grant_org": "郑州市公安局中原分局", "id_valid_from": "2020-01-01",
        "id_valid_until": "长期", "address": "河南省郑州市中原区某路1号", "phone": "13800138000",
        "politics_type": "群众", "culture_level": "初中", "urgent_contact_name": "",
        "urgent_contact_phone": "", "team": team, "work_role": "建筑工人", "work_type": "020 钢筋工",
        "is_team_leader": "否", "safety_training_date": "2026-01-05", "has_insurance": "是",
        "bank": "", "branch_name": "", "link_number": "", "card_number": "",
    }
    row.update(overrides)
    return row


def workbook_bytes(rows, teams=("钢筋一班",), header=None):
    """The template with `rows` ({key: value}) from row 2; a value stays the Python type
    given (an int in 证件号码 is what Excel does to a number cell)."""
    book = load_workbook(io.BytesIO(template_workbook(list(teams), rows=max(10, len(rows) + 1))))
    sheet = book["人员名单"]
    if header is not None:
        for index, title in enumerate(header, start=1):
            sheet.cell(row=1, column=index, value=title)
    for r, row in enumerate(rows, start=2):
        for c, key in enumerate(KEYS, start=1):
            value = row.get(key, "")
            if value not in ("", None):
                sheet.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cn(i):
    """A name part without digits (names may not carry them): 12 → 一二."""
    return str(i).translate(str.maketrans("0123456789", "〇一二三四五六七八九"))
