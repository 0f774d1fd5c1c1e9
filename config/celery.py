"""Celery application. In the embedded default (demo, tests) tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.demo")

app = Celery("edugov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
