"""From a report's text to an official document: headings by a light markup, figures by their
registry keys. The same rendering serves the page preview, Word, PDF and the command line."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation
from edugov.documents.official import Heading, OfficialDocument, Paragraph
from edugov.metrics import registry

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")
HEADING = re.compile(r"^(#{1,3})\s+(.*)$")


def placeholders(body: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(body)))


def compute(keys: list[str], year: int, org: Organisation) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The figures the text uses, for the year and the organisation; and the keys not registered."""
    period = registry.Period.year(year)
    figures, missing = {}, []
    for key in keys:
        try:
            metric = registry.get(key)
        except LookupError:
            missing.append(key)
            continue
        figures[key] = registry.compute(metric, period, org).as_json()
    return figures, missing


def fill(text: str, figures: dict[str, dict[str, Any]]) -> str:
    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in figures:
            figure = figures[key]
            if figure.get("value") is None and figure.get("denominator") == 0:
                # a rate of nothing: "办结率不适用（无有效件）", not "办结率无有效件"
                return _("not applicable (%(why)s)") % {"why": figure["display"]}
            return str(figure["display"])
        return _("[figure not registered: %(key)s]") % {"key": key}
    return PLACEHOLDER.sub(one, text)


def blocks(body: str, figures: dict[str, dict[str, Any]]) -> list[Heading | Paragraph]:
    """“# ” → 一、, “## ” → （一）, “### ” → 1.; every other non-empty line is a paragraph."""
    out: list[Heading | Paragraph] = []
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        m = HEADING.match(line)
        if m:
            out.append(Heading(len(m.group(1)), fill(m.group(2).strip(), figures)))
        else:
            out.append(Paragraph(fill(line, figures)))
    return out


def document(title: str, body: str, org: Organisation, figures: dict[str, dict[str, Any]],
             date: dt.date) -> OfficialDocument:
    return OfficialDocument(title=title, blocks=list(blocks(body, figures)), issuer=org.name, date=date)


# The outline of 法治政府建设与责任落实督察工作规定 art. 24, for a report started from nothing.
OUTLINE = """# 年度推进法治建设的主要举措和成效
## 依法行政制度体系
（在此写明本年度的主要举措，用 {{petitions.received}} 这样的写法引用统计数据。）
## 严格规范公正文明执法
## 矛盾纠纷化解与监督
# 党政主要负责人履行推进法治建设第一责任人职责情况
# 存在的不足和原因
# 下一年度推进法治建设的主要安排
# 其他需要报告的事项
"""
