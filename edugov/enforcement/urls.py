from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("notices/<int:pk>.docx", views.notice_docx, name="notice_docx"),
    path("penalties/<int:pk>/step/", views.penalty_step, name="penalty_step"),
    path("penalties/<int:pk>/<str:which>.docx", views.penalty_docx, name="penalty_docx"),
    path("items/", views.items, name="items"),
    path("roster/", views.roster, name="roster"),
    path("results/", views.public_results, name="public"),
    path("results/<int:pk>/", views.public_result, name="public_result"),
]
