from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:fmt>/", views.download, name="download"),
    path("public/", views.public_list, name="public"),
    path("public/<int:pk>.pdf", views.public_pdf, name="public_pdf"),
]
