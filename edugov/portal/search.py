"""Search of the public site: the site's own services (how to complain, apply, follow a matter),
service guides, published results and decisions, draws, enrollment policies and schools, for Chinese
text and for pinyin initials.

A Chinese query has no spaces: jieba cuts it into words (办理民办学校许可证 → 办理 / 民办 / 学校 /
许可证), words that say nothing about the subject (怎么, 办理, 的 …) are dropped, and a record
matches when it contains every remaining word, ranked by where they are (title or text) and how long
they are. A query of Latin letters alone (bjlxx, btxx) also matches schools and institutions by the
initials the registers keep, from the start of any word of a name (registries/names.py). Matching is substring search in the database (icontains): it needs no
index to stay current, which at a district's size (thousands of published items) is fast enough;
docs/performance.md has the figure."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from edugov.draws import opendata as draws_published
from edugov.draws.models import Draw
from edugov.enforcement import opendata as enforcement_published
from edugov.enforcement.models import Publication
from edugov.enrollment.models import Intake, IntakeState
from edugov.registries.models import Institution, School, initials_q
from edugov.services import opendata as services_published
from edugov.services.models import Application, ServiceItem

log = logging.getLogger("edugov.search")

MAX_QUERY = 60
PER_SOURCE = 200  # candidates read from each source before ranking
# Words that carry no subject: the way people phrase a question, not what they ask about.
STOP = frozenset(["的", "了", "吗", "呢", "啊", "吧", "和", "与", "及", "或", "在", "是", "我", "我们", "你", "您", "要", "想", "请问", "请", "怎么", "怎样", "如何", "怎么办", "什么", "哪里", "哪儿", "哪个", "哪些", "可以", "能", "能否", "需要", "办理", "办", "申请", "查询", "查", "一下", "有", "没有", "关于", "问题", "相关", "多少"])
_LATIN = re.compile(r"^[A-Za-z]{2,12}$")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


@functools.lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word in ("校外培训", "办学许可证", "双随机", "一公开", "法治副校长", "适龄儿童", "幼儿园", "民办学校",
                 "行政处罚", "行政许可", "入学", "招生", "摇号", "学位", "随迁子女"):
        jieba.add_word(word)
    return jieba


def terms(query: str) -> list[str]:
    """The words of a query that a record must contain (longest first, no repeats)."""
    text = _PUNCT.sub(" ", query.strip()[:MAX_QUERY]).strip()
    if not text:
        return []
    words: list[str] = []
    for part in text.split():
        if part.isascii():
            words.append(part.lower())
            continue
        words.extend(w for w in _jieba().lcut(part) if w.strip())
    kept = [w for w in dict.fromkeys(words) if w not in STOP]
    if not kept:  # the whole query was phrasing (怎么办理): search it as it is
        kept = [text]
    return sorted(kept, key=len, reverse=True)


@dataclass
class Hit:
    kind: str | Promise
    title: str
    url: str
    snippet: str = ""
    score: float = 0.0
    date: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    kind: str
    label: str | Promise
    queryset: Callable[[], QuerySet[Any]]
    title_fields: tuple[str, ...]
    text_fields: tuple[str, ...]
    hit: Callable[[Any], Hit]
    initials: bool = False


def _snippet(text: str, words: list[str], width: int = 60) -> str:
    text = " ".join((text or "").split())
    at = min((i for i in (text.find(w) for w in words) if i >= 0), default=0)
    start = max(0, at - width // 3)
    return ("…" if start else "") + text[start:start + width] + ("…" if len(text) > start + width else "")


def _guide_hit(item: ServiceItem) -> Hit:
    snap = item.current.snapshot if item.current else {}
    return Hit(_("Service guide"), snap.get("name", item.name), reverse("services:guide", args=[item.pk]),
               snap.get("conditions", ""), date=item.current.published_at if item.current else None)


def _publication_hit(p: Publication) -> Hit:
    return Hit(p.get_kind_display(), p.title, reverse("enforcement:public_result", args=[p.pk]), p.body,
               date=p.published_at)


def _decision_hit(a: Application) -> Hit:
    return Hit(_("Licensing decision"), f"{a.item.name} · {a.applicant_label}",
               reverse("services:decisions") + f"?q={a.certificate_number or a.institution_name}",
               a.certificate_number, date=a.decided_at)


def _draw_hit(d: Draw) -> Hit:
    return Hit(_("Random draw"), d.purpose, reverse("draws:public", args=[d.draw_id]), d.draw_id,
               date=d.drawn_at)


def _intake_hit(i: Intake) -> Hit:
    return Hit(_("Enrollment policy"), i.title, reverse("enrollment:policy", args=[i.pk]), "", date=i.published_at)


def _school_hit(s: School) -> Hit:
    return Hit(_("School"), s.name, "", f"{s.get_level_display()} · {s.address}", extra={"initials": s.initials})


def _institution_hit(i: Institution) -> Hit:
    return Hit(_("Training institution"), i.name, "", f"{i.get_status_display()} · {i.address}",
               extra={"initials": i.initials})


SOURCES: tuple[Source, ...] = (
    Source("guides", _("Service guides"),
           lambda: services_published.published_items().select_related("current"),
           # the published version's text, never the working copy a department is still editing
           ("current__snapshot__name",),
           ("current__snapshot__conditions", "current__snapshot__legal_basis", "current__snapshot__faq"), _guide_hit),
    Source("results", _("Inspection results and penalties"),
           enforcement_published.published,
           ("title",), ("body",), _publication_hit),
    Source("decisions", _("Licensing decisions"),
           lambda: services_published.published_decisions().select_related("item", "case"),
           ("item__name", "institution_name"), ("certificate_number",), _decision_hit),
    Source("draws", _("Random draws"), lambda: draws_published.published().defer(
        "candidates", "order", "selected", "assignments", "sealed_secret"), ("purpose",), ("draw_id",), _draw_hit),
    Source("enrollment", _("Enrollment policies"), lambda: Intake.objects.exclude(state=IntakeState.DRAFT),
           ("title",), (), _intake_hit),
    Source("schools", _("Schools"), lambda: School.objects.all(), ("name",), ("address",), _school_hit, initials=True),
    Source("institutions", _("Training institutions"), lambda: Institution.objects.all(), ("name",), ("address",),
           _institution_hit, initials=True),
)


@dataclass(frozen=True)
class SitePage:
    """One of the site's own services (how to complain, how to apply …): a result like a record,
    matched on its title and description as the visitor reads them (translated)."""

    url_name: str
    title: str | Promise
    description: str | Promise


SITE_PAGES: tuple[SitePage, ...] = (
    SitePage("petitions:public_intake", _("Make a complaint or a report"),
             _("Complain about a school, a kindergarten, a training institution or the bureau's staff, or report a "
               "problem, online and without an account; the receipt gives a query code to follow it.")),
    SitePage("petitions:track", _("Follow a complaint"),
             _("See where a complaint stands, when the answer is due and what it says, and rate it, with the query "
               "code on the receipt.")),
    SitePage("enrollment:intakes", _("School enrollment: policies and applications"),
             _("This year's admission rules for primary and junior secondary school, the areas of each school, and "
               "the online application for a school place.")),
    SitePage("enrollment:track", _("Follow an enrollment application"),
             _("The state of an enrollment application and the messages sent about it, with the query code and the "
               "child's identity number.")),
    SitePage("services:guides", _("Service guides"),
             _("How to apply for a licence or another service of the bureau (for example a school-running licence, "
               "办学许可证): conditions, materials, time limits, fees, where to go.")),
    SitePage("services:rate", _("Rate a counter visit"),
             _("Rate the service received at the counter, with the code on its receipt.")),
    SitePage("portal:open", _("Open government"),
             _("Everything the bureau publishes: inspection results, penalty decisions, licensing decisions, random "
               "draws, enrollment results, open data.")),
    SitePage("draws:public_list", _("Random draws"),
             _("The double-random draws of inspection targets and inspectors, and how anyone can check them.")),
    SitePage("legality:public_documents", _("Normative documents"),
             _("The bureau's normative documents (规范性文件) in force, amended or repealed, drafts open for public "
               "comment (征求意见) with the answers, and the catalogues of major administrative decisions.")),
    SitePage("reports:public", _("Yearly rule-of-law reports"),
             _("The bureau's yearly reports on building rule-of-law government.")),
)


def _site_hits(words: list[str]) -> list[Hit]:
    hits = []
    for page in SITE_PAGES:
        title, text = str(page.title), str(page.description)
        if all(w in title.lower() or w in text.lower() for w in words):
            score = sum(3 * len(w) if w in title.lower() else len(w) for w in words)
            hits.append(Hit(_("Online services"), title, reverse(page.url_name), _snippet(text, words), score=score))
    return sorted(hits, key=lambda h: -h.score)


def _matches(source: Source, words: list[str], latin: str) -> QuerySet[Any]:
    """The records holding every word (each in any of the source's fields), newest first; or, for a
    Latin query, whose initials start with it."""
    fields = source.title_fields + source.text_fields
    every_word = Q()
    for w in words:
        one = Q()
        for f in fields:
            one |= Q(**{f"{f}__icontains": w})
        every_word &= one
    if latin and source.initials:
        every_word |= initials_q(latin)
    return source.queryset().filter(every_word).order_by("-pk")[:PER_SOURCE]


def _text(obj: Any, names: Iterable[str]) -> str:
    parts = []
    for name in names:
        value: Any = obj
        for attr in name.split("__"):
            value = value.get(attr, "") if isinstance(value, dict) else getattr(value, attr, "") if value else ""
        parts.append(str(value or ""))
    return " ".join(parts).lower()


def search(query: str, kind: str = "") -> tuple[list[str], dict[str, list[Hit]]]:
    """The query's words, and each source's hits, best first. A hit contains every word (the
    phrasing words are gone already); a word in the title counts three times one in the text; a
    Latin query also matches the initials of a register's names."""
    words = terms(query)
    if not words:
        return [], {}
    latin = query.strip() if _LATIN.match(query.strip()) else ""
    results: dict[str, list[Hit]] = {}
    if kind in ("", "site") and (site := _site_hits(words)):
        results["site"] = site
    for source in SOURCES:
        if kind and source.kind != kind:
            continue
        hits = []
        for obj in _matches(source, words, latin):
            title, body = _text(obj, source.title_fields), _text(obj, source.text_fields)
            by_initials = bool(latin and source.initials and obj.matches_initials(latin))
            if not by_initials and not all(w in title or w in body for w in words):
                continue
            hit = source.hit(obj)
            hit.score = sum(3 * len(w) if w in title else len(w) if w in body else 0 for w in words)
            hit.score += 10 * len(latin) if by_initials else 0
            hit.snippet = _snippet(hit.snippet, words)
            hits.append(hit)
        if hits:
            hits.sort(key=lambda h: -h.score)
            results[source.kind] = hits
    return words, results


LABELS = {"site": _("Online services"), **{s.kind: s.label for s in SOURCES}}
