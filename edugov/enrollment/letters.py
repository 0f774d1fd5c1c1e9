"""The enrollment results in writing: when an intake's results are published, each placed child's
admission notice (入学通知书) and each child not placed its notice of non-admission with the reason
and the appeal, issued together as one batch (documents.actions.document_issue_many: numbered in
order, dated by the publication, one ledger entry covering every document). A parent or a school
checks a notice by its code."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edugov.accounts.models import User
from edugov.documents.actions import Batch, document_issue_many
from edugov.documents.models import DocumentKind
from edugov.documents.official import OfficialDocument, Paragraph
from edugov.kernel.masking import mask_name

from .models import Application, Intake

PLACED_BY = {"private": gettext_lazy("by the lottery of the private school chosen"),
             "zone": gettext_lazy("in the school of your zone"),
             "second": gettext_lazy("in the second round, by the places left")}


def subject(app: Application) -> str:
    return f"case:{app.case_id}"


def issue_results(intake: Intake, *, actor: User | None, at: dt.datetime) -> int:
    apps = list(Application.objects.filter(intake=intake, case__state__in=("placed", "unplaced"))
                .select_related("school").only("case_id", "child_name", "school__name", "placed_by")
                .order_by("case_id"))
    bureau = intake.organisation
    placed, unplaced = [], []
    for a in apps:
        child = str(a.child_name)
        parents = _("The parents of %(child)s") % {"child": child}
        if a.school is not None:
            doc = OfficialDocument(title=_("Admission notice"), issuer=bureau.name, recipients=parents,
                                   blocks=[
                Paragraph(_("Your child %(child)s is admitted to %(school)s for “%(intake)s”, %(how)s.") % {
                    "child": child, "school": a.school.name, "intake": intake.title,
                    "how": PLACED_BY.get(a.placed_by, "")}),
                Paragraph(_("Please accept the place on the enrollment page within %(days)d days, and register at the "
                            "school as it tells you. You may appeal within the same time if you believe the placement "
                            "wrong.") % {"days": intake.appeal_days})])
            placed.append(Batch(doc, subject(a), _("Admitted to %(school)s") % {"school": a.school.name},
                                mask_name(child)))
        else:
            doc = OfficialDocument(title=_("Notice of non-admission"), issuer=bureau.name,
                                   recipients=parents, blocks=[
                Paragraph(_("In “%(intake)s” your child %(child)s could not be placed: the schools of your zone and "
                            "of your choices had no place left for your category after the children ranked before.")
                          % {"intake": intake.title, "child": child}),
                Paragraph(_("This bureau will arrange a place and tell you. You may appeal within %(days)d days on the "
                            "enrollment page; the appeal is answered in writing.") % {"days": intake.appeal_days})])
            unplaced.append(Batch(doc, subject(a), _("Not placed in this round"), mask_name(child)))
    return (document_issue_many(actor=actor, organisation=bureau, kind=DocumentKind.ADMISSION_NOTICE, items=placed,
                                at=at)
            + document_issue_many(actor=actor, organisation=bureau, kind=DocumentKind.ADMISSION_REFUSAL,
                                  items=unplaced, at=at))
