"""The writes of government services, by sub-domain (issue 24); each name is `<entity>_<verb>`."""

from ._common import FALSE_COMMITMENT_YEARS
from .applications import (
    application_accept,
    application_decide,
    application_deliver,
    application_extend,
    application_notify_missing,
    application_reject,
    application_revoke,
    application_submit,
    application_supply,
    application_withdraw,
    commitment_text,
    excluded_from_commitments,
)
from .business import outreach_record, training_record
from .ratings import application_rate, visit_rate, visit_record
from .verification import (
    sample_draw_id,
    verification_pool,
    verification_record,
    verification_sample_commit,
    verification_sample_draw,
)

__all__ = ["FALSE_COMMITMENT_YEARS", "outreach_record", "training_record", "application_accept", "application_decide", "application_deliver", "application_extend", "application_notify_missing", "application_rate", "application_reject", "application_revoke", "application_submit", "application_supply", "application_withdraw", "commitment_text", "excluded_from_commitments", "sample_draw_id", "verification_pool", "verification_record", "verification_sample_commit", "verification_sample_draw", "visit_rate", "visit_record"]
