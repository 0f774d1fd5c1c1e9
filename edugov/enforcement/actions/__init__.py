"""The writes of enforcement, by sub-domain (issue 24); each name is `<entity>_<verb>`."""

from .campaigns import (
    campaign_commit,
    campaign_create,
    campaign_draw,
    inspection_add_unplanned,
    outing_create,
    target_roster,
)
from .catalogue import item_claim, item_import, item_release
from .inspections import (
    finding_reinspect,
    finding_serve,
    inspection_arrive,
    inspection_attach,
    inspection_decide,
    inspection_record,
    inspection_sign_off,
)
from .penalties import (
    penalty_apply_court,
    penalty_decide,
    penalty_decision_extend,
    penalty_legal_review,
    penalty_open,
    penalty_record_waiver,
    penalty_remind,
    penalty_review_extend,
    penalty_revoke,
    penalty_serve,
)
from .publications import publication_take_down_expired
from .training import (
    assessment_record,
    attendance_add,
    plan_create,
    self_study_record,
    session_record,
)

__all__ = ["assessment_record", "attendance_add", "plan_create", "self_study_record", "session_record", "campaign_commit", "campaign_create", "campaign_draw", "finding_reinspect", "finding_serve", "inspection_add_unplanned", "inspection_arrive", "inspection_attach", "inspection_decide", "inspection_record", "inspection_sign_off", "item_claim", "item_import", "item_release", "outing_create", "penalty_apply_court", "penalty_decide", "penalty_decision_extend", "penalty_legal_review", "penalty_open", "penalty_record_waiver", "penalty_remind", "penalty_review_extend", "penalty_revoke", "penalty_serve", "publication_take_down_expired", "target_roster"]
