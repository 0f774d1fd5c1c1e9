from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.home, name="home"),
    path("receive/", views.receive, name="receive"),
    path("cases/<int:pk>/steps/<str:name>/", views.step, name="step"),
    path("cases/<int:pk>/reply.docx", views.reply_docx, name="reply_docx"),
]
