"""The five levels of satisfaction every survey and rating of the bureau uses (好差评, the hotline's
return visit, the enrollment survey): defined once, so the figures of each agree on what counts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


NEGATIVE = (Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED)  # 差评
