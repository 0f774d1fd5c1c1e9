from django.urls import path

from . import views

app_name = "legality"
urlpatterns = [
    path("", views.home, name="home"),
    path("documents/draft/", views.document_draft, name="document_draft"),
    path("documents/cleanup/", views.document_cleanup, name="document_cleanup"),
    path("decisions/catalogue/", views.decision_catalogue, name="decision_catalogue"),
    path("decisions/publish/", views.catalogue_publish, name="catalogue_publish"),
    path("contracts/draft/", views.contract_draft, name="contract_draft"),
    path("opinions/ask/", views.opinion_ask, name="opinion_ask"),
    path("advisers/add/", views.adviser_add, name="adviser_add"),
    path("cases/<int:pk>/steps/<str:name>/", views.step, name="step"),
    path("public/documents/", views.public_documents, name="public_documents"),
    path("public/documents/<int:pk>/", views.public_document, name="public_document"),
    path("public/catalogues/<int:pk>/", views.public_catalogue, name="public_catalogue"),
]
