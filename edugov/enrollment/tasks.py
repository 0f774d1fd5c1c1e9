"""The intake's mass steps (lottery, assignment, results) run in a Celery worker: at a city's
300,000 applicants the assignment takes longer than a web request may wait (see
docs/performance.md). The page starts the job and shows its state; a second start while one runs
is refused. In the demo and the tests Celery runs eagerly, in the request."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.kernel.errors import Conflict, EdugovError
from edugov.notifications.tasks import send_messages

from . import actions
from .models import Intake
from .permissions import can_manage

STEPS = ("commit", "lottery", "assign", "results")


def start(*, actor: User, intake: Intake, step: str, public_value: str = "") -> None:
    """Check the actor may run the step, mark the job as started, and hand it to a worker."""
    if step not in STEPS:
        raise Conflict(_("Unknown step."))
    if not can_manage(actor, intake):
        from edugov.kernel.errors import PermissionDenied

        raise PermissionDenied(_("The lottery, the assignment and the results are run by the department head or a "
                                 "leader."))
    actions.intake_job_begin(actor=actor, intake=intake, step=step)
    transaction.on_commit(lambda: run_step.delay(intake.pk, step, actor.pk, public_value))


@shared_task(name="edugov.enrollment.tasks.run_step", acks_late=True)
def run_step(intake_id: int, step: str, actor_id: int, public_value: str = "") -> dict[str, Any]:
    intake = Intake.objects.get(pk=intake_id)
    actor = User.objects.get(pk=actor_id)
    job = dict(intake.job)
    try:
        if step == "commit":
            draw = actions.intake_lottery_commit(actor=actor, intake=intake)
            job["message"] = _("The commitment of lottery %(id)s over %(n)d applicants is published; draw it once "
                               "the public value you name is announced.") % {"id": draw.draw_id,
                                                                             "n": len(draw.candidates)}
        elif step == "lottery":
            draw = actions.intake_lottery(actor=actor, intake=intake, public_value=public_value)
            job["message"] = _("Lottery %(id)s drawn over %(n)d applicants.") % {"id": draw.draw_id,
                                                                               "n": len(draw.candidates)}
        elif step == "assign":
            stats = actions.intake_assign(actor=actor, intake=intake)
            job["message"] = _("%(p)d of %(n)d applicants placed.") % {"p": stats["placed"], "n": stats["applicants"]}
        else:
            n = actions.intake_publish_results(actor=actor, intake=intake)
            job["message"] = _("The results are published.") + f" ({n})"
    except EdugovError as exc:  # a refusal is the job's answer, shown on the page
        job["error"] = exc.message
    job["finished"] = timezone.localtime().isoformat(timespec="seconds")
    actions.intake_job_end(intake=intake, job=job)
    if step == "results" and "error" not in job:
        send_messages.delay()  # the families' SMS, written with the results, leave now rather than at beat's next minute
    return job
