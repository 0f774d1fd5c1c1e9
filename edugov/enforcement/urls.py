from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/commit/", views.campaign_commit, name="campaign_commit"),
    path("campaigns/<int:pk>/draw/", views.campaign_draw, name="campaign_draw"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/steps/<slug:name>/", views.inspection_step, name="inspection_step"),
    path("notices/<int:pk>.docx", views.notice_docx, name="notice_docx"),
    path("notices/<int:pk>.pdf", views.notice_pdf, name="notice_pdf"),
    path("penalties/<int:pk>/steps/<slug:name>/", views.penalty_step, name="penalty_step"),
    path("penalties/<int:pk>/<str:which>.docx", views.penalty_docx, name="penalty_docx"),
    path("items/", views.items, name="items"),
    path("items/import/", views.items_import, name="items_import"),
    path("items/claim/", views.item_claim, name="item_claim"),
    path("items/release/", views.item_release, name="item_release"),
    path("roster/", views.roster, name="roster"),
    path("training/", views.training, name="training"),
    path("training/<slug:kind>/", views.training_add, name="training_add"),
    path("results/", views.public_results, name="public"),
    path("results/<int:pk>/", views.public_result, name="public_result"),
]
