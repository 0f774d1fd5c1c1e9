"""Issue 27: everything a staff member reads in the admin is Chinese, the sign-in libraries' pages
included (they name themselves "Axes" and "Otp_Totp" without a translation hook)."""

import re

from django.apps import apps
from django.contrib import admin
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_admin_page_and_its_app_has_a_chinese_name():
    with translation.override("zh-hans"):
        english = [(m._meta.label, str(m._meta.verbose_name_plural)) for m in admin.site._registry
                   if not CJK.search(str(m._meta.verbose_name_plural))]
        english += [(m._meta.app_label, str(apps.get_app_config(m._meta.app_label).verbose_name))
                    for m in admin.site._registry
                    if not CJK.search(str(apps.get_app_config(m._meta.app_label).verbose_name))]
    assert english == [], f"admin names without Chinese: {sorted(set(english))}"


def test_every_model_of_edugov_has_a_chinese_name():
    """A model's name appears on the ledger page (the matter an entry is about), in the admin and
    in "not found" messages: each has its Chinese name."""
    with translation.override("zh-hans"):
        english = [(m._meta.label, str(m._meta.verbose_name)) for m in apps.get_models()
                   if m.__module__.startswith("edugov") and not CJK.search(str(m._meta.verbose_name))]
    assert english == []
