"""Official documents in the GB/T 9704-2012 layout, as Word (the editable master) and PDF (the
published copy, fonts embedded).

A document is plain data (`OfficialDocument` with `Heading`, `Paragraph`, `Table`, `Image`
blocks); `to_docx` and `to_pdf` render the same data. The standard's typefaces (方正小标宋,
仿宋_GB2312, 黑体, 楷体_GB2312) are named first; Linux fonts follow as fallbacks (Noto Serif/Sans CJK),
so a bureau PC with the official fonts shows them and a server without them still renders.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from edugov.kernel.middleware import CONTROL_CHARACTERS

# GB/T 9704-2012 §5.2: A4; 版心 156 mm × 225 mm; top 37 mm, left 28 mm (so right 26, bottom 35).
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
PAGE_NUMBER_PT = 14  # 四号
LINE_PT = 28.95  # 22 lines in the 225 mm 版心
FONTS = {
    "title": ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC"],
    "body": ["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC"],
    "h1": ["黑体", "SimHei", "Noto Sans CJK SC"],
    "h2": ["楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"],
    "number": ["宋体", "SimSun", "Noto Serif CJK SC"],
}
DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (numbering of headings)."""
    if not 0 < n < 100:
        raise ValueError("headings are numbered 1 to 99")
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The standard's numbering of levels: 一、 （一） 1. （1）"""
    return {1: f"{chinese_number(n)}、", 2: f"（{chinese_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


@dataclass
class Heading:
    level: int  # 1..4
    text: str


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""


@dataclass
class Image:
    png: bytes
    caption: str = ""
    width_mm: float = 150


Block = Heading | Paragraph | Table | Image


@dataclass
class Verification:
    """What an issued document carries to be checked: its code and the page that answers for it,
    printed under the date with a QR code of the address (documents.actions)."""
    code: str
    url: str


@dataclass
class OfficialDocument:
    title: str
    blocks: list[Block] = field(default_factory=list)
    issuer: str = ""  # 发文机关署名
    date: dt.date | None = None  # 成文日期
    document_number: str = ""  # 发文字号, e.g. 江教发〔2024〕12号
    recipients: str = ""  # 主送机关
    red_header: str = ""  # 发文机关标志 (e.g. 江州区教育委员会文件); empty for a plain report
    cc: str = ""  # 抄送
    printed_by: str = ""  # 印发机关
    verification: Verification | None = None

    def numbered(self) -> list[tuple[Block, str]]:
        """Blocks with the numbers their headings get, restarting below each higher level."""
        counters = [0, 0, 0, 0, 0]
        out: list[tuple[Block, str]] = []
        for block in self.blocks:
            if isinstance(block, Heading):
                counters[block.level] += 1
                for deeper in range(block.level + 1, 5):
                    counters[deeper] = 0
                out.append((block, heading_number(block.level, counters[block.level])))
            else:
                out.append((block, ""))
        return out


def date_text(d: dt.date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 §7.3.5.3 writes it: 2025年3月28日."""
    return f"{d.year}年{d.month}月{d.day}日"


def to_data(doc: OfficialDocument) -> dict[str, Any]:
    """The document as JSON-able data (what an issued document freezes at the act); images are not
    kept (an issued document's only image is its QR code, made again from the code)."""
    blocks: list[dict[str, Any]] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            blocks.append({"h": block.level, "text": block.text})
        elif isinstance(block, Paragraph):
            blocks.append({"p": block.text})
        elif isinstance(block, Table):
            blocks.append({"table": [list(block.header), [list(r) for r in block.rows]], "caption": block.caption})
        else:
            raise ValueError("an issued document holds text and tables only")
    return {"title": doc.title, "issuer": doc.issuer, "date": doc.date.isoformat() if doc.date else "",
            "number": doc.document_number, "recipients": doc.recipients, "red_header": doc.red_header,
            "cc": doc.cc, "printed_by": doc.printed_by, "blocks": blocks}


def from_data(data: dict[str, Any]) -> OfficialDocument:
    blocks: list[Block] = []
    for b in data["blocks"]:
        if "h" in b:
            blocks.append(Heading(int(b["h"]), b["text"]))
        elif "p" in b:
            blocks.append(Paragraph(b["p"]))
        else:
            blocks.append(Table(b["table"][0], b["table"][1], b.get("caption", "")))
    return OfficialDocument(
        title=data["title"], blocks=blocks, issuer=data["issuer"],
        date=dt.date.fromisoformat(data["date"]) if data["date"] else None, document_number=data["number"],
        recipients=data["recipients"], red_header=data["red_header"], cc=data["cc"], printed_by=data["printed_by"])


def plain_text(doc: OfficialDocument) -> str:
    """What the document says, as one string, in the order it prints (the PDF's text without its layout)."""
    parts = [doc.red_header, doc.document_number, doc.title, f"{doc.recipients}：" if doc.recipients else ""]
    for block, number in doc.numbered():
        if isinstance(block, Heading):
            parts.append(number + block.text)
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.extend("".join(str(c) for c in row) for row in [list(block.header), *block.rows])
    parts += [doc.issuer, date_text(doc.date) if doc.date else ""]
    return "".join(p for p in parts if p)


def qr_png(text: str) -> bytes:
    import qrcode

    out = io.BytesIO()
    qrcode.make(text, border=1, box_size=6).save(out)
    return out.getvalue()


# --- Word -------------------------------------------------------------------------------------

def to_docx(doc: OfficialDocument) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    word = Document()
    section = word.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])

    def run_font(run, role: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = FONTS[role][-1]  # Latin fallback
        rpr = run._element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), FONTS[role][0])
        if color is not None:
            run.font.color.rgb = color

    def para(text: str, role: str = "body", size: float = BODY_PT, align: int | None = None, bold: bool = False,
             indent: bool = False, color: RGBColor | None = None) -> None:
        p = word.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(size * 2)  # 每段首行空二字
        if align is not None:
            p.alignment = align  # type: ignore[assignment]  # python-docx's stubs want its enum; ints are its values
        # a control character stored before the request filter existed would stop the whole document
        run_font(p.add_run(CONTROL_CHARACTERS.sub("", text)), role, size, bold, color)

    red = RGBColor(0xD0, 0x00, 0x00)
    if doc.red_header:
        para(doc.red_header, "title", 36, WD_ALIGN_PARAGRAPH.CENTER, color=red)
    if doc.document_number:
        para(doc.document_number, align=WD_ALIGN_PARAGRAPH.CENTER)
        para("")
    para(doc.title, "title", TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER)
    para("")
    if doc.recipients:
        para(f"{doc.recipients}：")
    for block, number in doc.numbered():
        if isinstance(block, Heading):
            role = {1: "h1", 2: "h2"}.get(block.level, "body")
            para(number + block.text, role, indent=True, bold=block.level == 3)
        elif isinstance(block, Paragraph):
            para(block.text, indent=True)
        elif isinstance(block, Table):
            table = word.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            for r, cells in enumerate([list(block.header), *[list(x) for x in block.rows]]):
                for c, text in enumerate(cells):
                    cell = table.cell(r, c)
                    cell.text = ""
                    run_font(cell.paragraphs[0].add_run(str(text)), "body", 12, bold=r == 0)
            if block.caption:
                para(block.caption, align=WD_ALIGN_PARAGRAPH.CENTER, size=12)
        elif isinstance(block, Image):
            word.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
            word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if block.caption:
                para(block.caption, align=WD_ALIGN_PARAGRAPH.CENTER, size=12)
    if doc.issuer or doc.date:
        para("")
        if doc.issuer:
            para(doc.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
        if doc.date:
            para(date_text(doc.date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    if doc.verification is not None:
        para("")
        word.add_picture(io.BytesIO(qr_png(doc.verification.url)), width=Mm(22))
        para(f"验证码：{doc.verification.code}　扫码或访问 {doc.verification.url} 核验本文书", size=10.5)
    if doc.cc or doc.printed_by:
        para("")
        if doc.cc:
            para(f"抄送：{doc.cc}", size=14)
        if doc.printed_by and doc.date:
            para(f"{doc.printed_by}        {date_text(doc.date)}印发", size=14)
    _page_numbers(section, run_font)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _page_numbers(section: Any, run_font: Any) -> None:
    """“— 1 —” in 四号 宋体, at the outer side of the page (GB/T 9704-2012 §7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run_font(p.add_run("— "), "number", PAGE_NUMBER_PT)
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    run_font(run, "number", PAGE_NUMBER_PT)
    run_font(p.add_run(" —"), "number", PAGE_NUMBER_PT)


# --- PDF --------------------------------------------------------------------------------------

def to_html(doc: OfficialDocument) -> str:
    import base64

    blocks = []
    for block, number in doc.numbered():
        item: dict[str, object] = {"kind": type(block).__name__.lower(), "number": number, "block": block}
        if isinstance(block, Image):
            item["src"] = "data:image/png;base64," + base64.b64encode(block.png).decode()
        blocks.append(item)
    qr = ("data:image/png;base64," + base64.b64encode(qr_png(doc.verification.url)).decode()
          if doc.verification is not None else "")
    return render_to_string("documents/official.html", {
        "doc": doc, "blocks": blocks, "qr": qr, "date": date_text(doc.date) if doc.date else "",
        "margins": MARGINS_MM, "fonts": {k: ", ".join(f'"{f}"' for f in v) for k, v in FONTS.items()},
        "title_pt": TITLE_PT, "body_pt": BODY_PT, "line_pt": LINE_PT, "page_number_pt": PAGE_NUMBER_PT,
    })


def to_pdf(doc: OfficialDocument) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # the Pango libraries are missing on this machine
        raise RuntimeError("PDF output needs Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0): "
                           f"{exc}") from None
    return bytes(HTML(string=to_html(doc)).write_pdf())
