"""The writes of enrollment, by sub-domain (issue 24); each name is `<entity>_<verb>`. Its reads are in `selectors`."""

from ._common import CHANGEABLE, QUESTIONS, Form, Imported
from .applications import (
    application_accept_place,
    application_appeal,
    application_book,
    application_draft_save,
    application_move_offline,
    application_offline_result,
    application_rate,
    application_resubmit,
    application_review,
    application_submit,
    category_from,
)
from .intake import (
    intake_assign,
    intake_close,
    intake_import_applications,
    intake_job_begin,
    intake_job_end,
    intake_lottery,
    intake_lottery_commit,
    intake_policy_change,
    intake_publish,
    intake_publish_results,
    slot_add,
)
from .records import student_records_import
from .special import special_request_decide, special_request_submit

__all__ = ["CHANGEABLE", "Form", "Imported", "QUESTIONS", "application_accept_place", "application_appeal", "application_book", "application_draft_save", "application_move_offline", "application_offline_result", "application_rate", "application_resubmit", "application_review", "application_submit", "category_from", "intake_assign", "intake_close", "intake_import_applications", "intake_job_begin", "intake_job_end", "intake_lottery", "intake_lottery_commit", "intake_policy_change", "intake_publish", "intake_publish_results", "slot_add", "special_request_decide", "special_request_submit", "student_records_import"]
