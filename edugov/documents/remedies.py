"""The remedy sentence every adverse decision carries (告知救济途径), naming the bodies the district's
legal settings give (issue 25 item 9).

行政复议法 (2023): a party may apply for reconsideration within 60 days of knowing of the act (art. 20);
the district government is the reconsideration body of its departments (art. 24); for some acts the
party must first apply for reconsideration (art. 23: an on-the-spot penalty, a refusal to disclose
government information, …) and the decision must say so. 行政诉讼法 art. 46: a lawsuit within 6
months. 行政许可法 art. 38 asks a refusal to license to tell these rights; a refusal to accept an
application (art. 32) is itself a decision that can be challenged. The counts come from the rules
registry; the bodies and the court from accounts.LegalSettings (a court designated for
administrative cases differs from city to city)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation
from edugov.accounts.selectors import legal_settings_of, rule_of


def remedy_sentence(organisation: Organisation, *, reconsideration_first: bool = False) -> str:
    """The sentence telling the party where and by when to challenge the decision."""
    settings_ = legal_settings_of(organisation)
    body = settings_.reconsideration_body or _("the administrative reconsideration body")
    court = settings_.court or _("the competent people's court")
    days = rule_of(organisation, "reconsideration.application").count
    months = rule_of(organisation, "litigation.filing").count
    if reconsideration_first:
        return _("If you do not accept this decision, you must first apply to %(body)s for administrative "
                 "reconsideration within %(days)d days of receiving it (行政复议法 art. 23); if you do not accept "
                 "the reconsideration decision, you may then bring an administrative lawsuit before %(court)s "
                 "according to law.") % {"body": body, "days": days, "court": court}
    return _("If you do not accept this decision, you may apply to %(body)s for administrative reconsideration "
             "within %(days)d days of receiving it, or bring an administrative lawsuit before %(court)s within "
             "%(months)d months of receiving it.") % {"body": body, "days": days, "court": court, "months": months}
