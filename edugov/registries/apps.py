from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistriesConfig(AppConfig):
    name = "edugov.registries"
    label = "registries"
    verbose_name = _("Registries")

    def ready(self) -> None:
        from . import opendata  # noqa: F401  (registers the datasets this app publishes)
