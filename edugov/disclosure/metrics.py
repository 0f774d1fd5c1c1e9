"""ogi.* (INTERFACES.md, metric key prefixes): government information disclosure on request."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, describe_group, register

from .models import DisclosureRequest, ReplyForm


def received(period: Period, org: Organisation) -> QuerySet[Any]:
    return DisclosureRequest.objects.filter(organisation__path__startswith=org.path, received_on__gte=period.start,
                                            received_on__lte=period.end)


def replied(period: Period, org: Organisation) -> QuerySet[Any]:
    return DisclosureRequest.objects.filter(organisation__path__startswith=org.path, replied_on__gte=period.start,
                                            replied_on__lte=period.end)


def in_time(period: Period, org: Organisation) -> QuerySet[Any]:
    return replied(period, org).filter(late_reason="")


def disclosed(period: Period, org: Organisation) -> QuerySet[Any]:
    return replied(period, org).filter(reply_form__in=(ReplyForm.ALREADY_PUBLIC, ReplyForm.DISCLOSED, ReplyForm.PARTLY))


describe_group("ogi", _("Disclosure on request"))
for key, title, word, definition, records in (
    ("ogi.requests", _("Disclosure requests received"), "件",
     _("Requests for government information received in the period, by web, letter or visit."), received),
    ("ogi.replied", _("Disclosure requests answered"), "件", _("Requests answered in the period."), replied),
    ("ogi.disclosed", _("Requests answered with the information"), "件",
     _("Requests answered in the period by disclosing the information, all or part, or saying where it is "
       "published."), disclosed),
):
    register(Metric(key=key, title=title, measure_word=word, definition=definition,
                    count=(lambda r: lambda p, o: r(p, o).count())(records), records=records))
register(Metric(key="ogi.replied_in_time_rate", title=_("Disclosure requests answered in time"), decimals=0,
                empty=_("no request answered"),
                definition=_("Of the requests answered in the period, the share answered within 20 working days "
                             "(longer only with an approved extension; correction and third-party time not counted)."),
                rate=lambda p, o: (in_time(p, o).count(), replied(p, o).count()), records=in_time))
