"""The shape every page write takes, once (issue 24): the posted form to its action through
`kernel.forms.submit`; a refusal shows the page again with the form (its errors, what was typed);
success says so and goes on (post/redirect/get)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .forms import submit


def write(request: HttpRequest, form: forms.Form, act: Callable[[dict[str, Any]], Any], *,
          refused: Callable[[forms.Form], HttpResponse], said: str | Callable[[Any], str],
          then: str | Callable[[Any], Any]) -> HttpResponse:
    """Run `act` with the form's cleaned data; on a refusal answer `refused(form)`, else show
    `said` and redirect to `then` (a URL name or path, or a function of the result)."""
    done, result = submit(form, act)
    if not done:
        return refused(form)
    messages.success(request, said(result) if callable(said) else said)
    return redirect(then(result) if callable(then) else then)
