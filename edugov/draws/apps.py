from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrawsConfig(AppConfig):
    name = "edugov.draws"
    label = "draws"
    verbose_name = _("Verifiable draws")

    def ready(self) -> None:
        from . import (
            opendata,  # noqa: F401  (registers the datasets this app publishes)
            replay,  # noqa: F401  (what audit verify --domain rebuilds)
        )
