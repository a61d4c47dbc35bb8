"""Writes the 「账号管理员授权书」 template that 「下载模板」 offers.

Run: .venv/bin/pip install python-docx && .venv/bin/python scripts/make_authorisation_template.py
The generated .docx is committed; the platform itself does not need python-docx.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DATA = Path(__file__).resolve().parent.parent / "labour" / "certification" / "data"
KINDS = {
    # file: (title, what the administrator does, the rows, the seal, where to upload)
    "enterprise_authorisation_letter.docx": (
        "企业账号管理员授权书",
        "负责本单位企业账号的认证、登录信息的接收与保管、项目账号认证的审核，"
        "以及本单位项目用工、班组、工资等信息的维护。",
        [("单位名称", ""), ("统一社会信用代码/组织机构代码", "")],
        "单位（盖章）：", "企业账号认证"),
    "project_authorisation_letter.docx": (
        "项目账号管理员授权书",
        "负责本单位在下列项目的项目账号的认证、登录信息的接收与保管，"
        "以及本单位在该项目的用工人员、班组、工资核算等信息的维护。",
        [("单位名称", ""), ("统一社会信用代码/组织机构代码", ""), ("项目名称", ""),
         ("项目编号", "")],
        "项目（加盖项目公章）：", "项目账号认证"),
}


def main():
    for filename, spec in KINDS.items():
        write(DATA / filename, *spec)


def write(out, title, duties, unit_rows, seal, page):
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.6)
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(14)

    def para(text="", size=14, bold=False, align=None, space_after=8, indent=False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if align:
            p.alignment = align
        p.paragraph_format.space_after = Pt(space_after)
        p.paragraph_format.line_spacing = 1.5
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        return p

    para("郑州市建设劳务服务平台", 16, True, WD_ALIGN_PARAGRAPH.CENTER, 4)
    para(title, 22, True, WD_ALIGN_PARAGRAPH.CENTER, 18)
    para("郑州市城乡建设主管部门：")
    para(f"兹授权下列人员为本单位在郑州市建设劳务服务平台的{title[:4]}管理员，{duties}"
         "账号管理员在平台上的一切操作均代表本单位，由本单位承担相应责任。", indent=True)
    rows = [
        *unit_rows,
        ("账号管理员姓名", ""), ("账号管理员身份证号码", ""),
        ("账号管理员手机号", ""), ("授权期限", "自    年  月  日 至    年  月  日"),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
        row.cells[0].width, row.cells[1].width = Cm(6), Cm(10)
        row.height = Cm(1.2)
    para("", space_after=4)
    para("本单位承诺：所提交的认证材料真实、有效；账号管理员变更时，"
         "将及时在平台重新办理认证。", indent=True)
    para("", space_after=24)
    para("账号管理员（签字）：", space_after=18)
    para("法定代表人（签字）：", space_after=18)
    para(seal, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=18)
    para("年    月    日", align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=18)
    para(f"说明：请打印本授权书，填写完整并盖章后，拍照或扫描为 JPG、PNG 或 PDF "
         f"文件，在“{page}”页面的“账号管理员授权书”处上传。", size=11)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    print(out)


if __name__ == "__main__":
    main()
