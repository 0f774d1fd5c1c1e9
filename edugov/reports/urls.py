from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("create/", views.report_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/save/", views.report_save, name="save"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/legal-review/", views.report_legal_review, name="legal_review"),
    path("<int:pk>/approve/", views.report_approve, name="approve"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/<str:fmt>/", views.download, name="download"),
    path("ogi/", views.ogi, name="ogi"),
    path("ogi/publish/", views.ogi_publish, name="ogi_publish"),
    path("public/", views.public_list, name="public"),
    path("public/ogi/<int:pk>/", views.public_ogi, name="public_ogi"),
    path("public/<int:pk>.pdf", views.public_pdf, name="public_pdf"),
]
