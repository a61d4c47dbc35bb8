"""Writes the simple labour contract that 「劳动合同 · 下载模板」 offers.

Run: .venv/bin/pip install python-docx && .venv/bin/python scripts/make_contract_template.py
The generated .docx is committed; the platform itself does not need python-docx.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = (Path(__file__).resolve().parent.parent / "labour" / "workforce" / "data"
       / "labour_contract_template.docx")

CLAUSES = [
    ("一、合同类型和期限",
     "本合同为□劳动合同 □用工书面协议。期限类型：□固定期限 □以完成一定工作为期限"
     "（须写明预计结束日期）。期限自____年__月__日起至____年__月__日止。"),
    ("二、工作内容和地点",
     "乙方在________________项目（项目编号____________）从事________工种工作，"
     "所在班组：____________。工作地点为该项目施工现场。"),
    ("三、工资及支付",
     "计价方式：□按日 □按月 □按工程量（计量单位：□米 □平方米 □立方米，单价____元）。"
     "甲方按月足额支付工资，每月____日前支付上月工资，通过农民工工资专用账户直接支付至乙方本人名下的银行卡，"
     "不得以任何理由扣押或拖欠；甲方不得扣押乙方的银行卡和身份证件。"),
    ("四、实名制管理",
     "乙方进场前，甲方应与乙方订立本合同、进行基本安全培训，并在郑州市建设劳务服务平台完成实名登记；"
     "未订立合同、未进行实名登记的，不得进入项目现场施工。乙方应配合考勤。"),
    ("五、劳动保护和社会保险",
     "甲方为乙方提供符合国家规定的劳动安全卫生条件和必要的劳动防护用品，依法为乙方办理工伤保险"
     "或意外伤害保险。"),
    ("六、其他约定", "________________________________________________________________"),
    ("七、争议处理",
     "双方因本合同发生争议，可协商解决；协商不成的，可向劳动人事争议仲裁委员会申请仲裁，"
     "也可拨打12333咨询、投诉。"),
]


def main():
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)

    def para(text="", size=12, bold=False, align=None, space_after=6, indent=False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if align is not None:
            p.alignment = align
        p.paragraph_format.space_after = Pt(space_after)
        p.paragraph_format.line_spacing = 1.5
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        return p

    para("劳动合同（用工书面协议）", 20, True, WD_ALIGN_PARAGRAPH.CENTER, 4)
    para("（建筑工人简易合同 · 郑州市建设劳务服务平台模板）", 11, False, WD_ALIGN_PARAGRAPH.CENTER, 14)
    rows = [("甲方（用工单位）", ""), ("统一社会信用代码", ""), ("乙方（建筑工人）", ""),
            ("证件类型及号码", ""), ("手机号", ""), ("住址", "")]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
        row.cells[0].width, row.cells[1].width = Cm(5), Cm(11)
    para("", space_after=4)
    para("根据《中华人民共和国劳动合同法》《保障农民工工资支付条例》和《建筑工人实名制管理办法（试行）》，"
         "甲乙双方平等自愿、协商一致，订立本合同。", indent=True)
    for title, body in CLAUSES:
        para(title, 12, True, space_after=2)
        para(body, indent=True)
    para("本合同一式两份，甲乙双方各执一份，自双方签字（盖章）之日起生效。", indent=True)
    para("", space_after=18)
    para("甲方（盖章）：                              乙方（签字）：")
    para("代表人（签字）：")
    para("日期：    年   月   日                          日期：    年   月   日")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
