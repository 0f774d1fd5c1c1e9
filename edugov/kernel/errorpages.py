"""The last-resort error page. A database that does not answer (restarting, failing over, out of
connections) is a 503 with Retry-After and a plain message, not a 500 with a traceback; the next
request opens a fresh connection (CONN_HEALTH_CHECKS), so the service recovers by itself."""

from __future__ import annotations

import sys

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    unavailable = isinstance(exc, OperationalError | InterfaceError)
    if isinstance(exc, DataError):  # a value the database cannot hold (out of range, bad encoding)
        status, message = 400, _("The request contains a value that cannot be stored. Nothing was saved; please "
                                 "check what you entered.")
    elif unavailable:
        status, message = 503, _("The database is briefly unavailable. Nothing was saved; please try again in a "
                                 "few seconds.")
    else:
        status, message = 500, _("The system could not complete your request. Nothing you submitted was saved "
                                  "half-way; please try again in a moment.")
    if request.path.startswith(("/api/", "/open311/")):
        response: HttpResponse = JsonResponse({"error": message, "retry": unavailable}, status=status,
                                              json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.render_to_string("500.html", {"message": message}), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
