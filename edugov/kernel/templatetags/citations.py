"""`{% load citations %}{{ item.legal_basis|cited }}`: the text with cited documents no longer in
force marked (kernel.citations)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from edugov.kernel.citations import mark

register = template.Library()


@register.filter
def cited(text: object) -> SafeString:
    return mark(text)
