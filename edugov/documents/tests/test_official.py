import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from edugov.documents.official import (
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    chinese_number,
    heading_number,
    to_docx,
    to_pdf,
)


def sample() -> OfficialDocument:
    return OfficialDocument(
        title="江州区教育委员会关于2024年法治政府建设情况的报告", issuer="江州区教育委员会", date=dt.date(2025, 3, 28),
        document_number="江教发〔2025〕12号", recipients="区委依法治区办",
        blocks=[Heading(1, "主要举措和成效"), Heading(2, "深化政务服务改革"), Paragraph("全年受理行政许可办件56件，按时办结率100%。"),
                Heading(2, "规范行政执法"), Heading(3, "开展双随机抽查"), Paragraph("抽查校外培训机构1282家/次。"),
                Heading(1, "存在的不足和原因"), Paragraph("……"),
                Table(["指标", "数值"], [["信访件", "282件"], ["办结率", "98.4%"]], caption="表1 主要指标")])


@pytest.mark.parametrize("n, text", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_heading_numbers_by_level_restart_under_each_parent():
    numbers = [num for block, num in sample().numbered() if isinstance(block, Heading)]
    assert numbers == ["一、", "（一）", "（二）", "1.", "二、"]
    assert heading_number(4, 3) == "（3）"


def test_word_follows_the_gb_t_9704_page_and_fonts():
    word = Document(io.BytesIO(to_docx(sample())))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                   section.right_margin)] == [37, 35, 28, 26]
    texts = [p.text for p in word.paragraphs]
    assert "江教发〔2025〕12号" in texts and "一、主要举措和成效" in texts and "（二）规范行政执法" in texts
    assert "2025年3月28日" in texts
    title = next(p for p in word.paragraphs if p.text.startswith("江州区教育委员会关于"))
    run = title.runs[0]
    assert run.font.size.pt == 22 and run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in word.paragraphs if p.text.startswith("全年受理"))
    assert body.runs[0].font.size.pt == 16 and body.paragraph_format.first_line_indent == Mm(0) + body.runs[0].font.size * 2
    assert "PAGE" in section.footer._element.xml
    assert word.tables[0].cell(1, 1).text == "282件"


def test_pdf_is_a4_with_the_text_and_embedded_cjk_fonts():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(to_pdf(sample())))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width) * 25.4 / 72), round(float(page.mediabox.height) * 25.4 / 72)) == (210, 297)
    text = page.extract_text()
    assert "江教发〔2025〕12号" in text and "一、主要举措和成效" in text and "— 1 —" in text
    fonts = page["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
        embedded.append(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert embedded and all(embedded)
