from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "edugov.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from edugov.kernel import subjects

        from .selectors import documents_of

        subjects.register_listing("documents", lambda subject: list(documents_of(subject)))
