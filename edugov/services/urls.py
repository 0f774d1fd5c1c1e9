from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("services/", views.guide_list, name="guides"),
    path("services/items/<int:pk>/", views.guide, name="guide"),
    path("services/items/<int:pk>/apply/", views.apply, name="apply"),
    path("services/applications/<int:pk>/", views.mine, name="mine"),
    path("services/applications/<int:pk>/supply/", views.mine_supply, name="mine_supply"),
    path("services/applications/<int:pk>/rate/", views.mine_rate, name="mine_rate"),
    path("services/applications/<int:pk>/withdraw/", views.mine_withdraw, name="mine_withdraw"),
    path("services/decisions/", views.decisions, name="decisions"),
    path("services/rate/", views.rate_visit, name="rate_visit"),
    path("services/catalogue/", views.catalogue_view, name="catalogue"),
    path("services/catalogue/import/", views.catalogue_import, name="catalogue_import"),
    path("services/catalogue/new/", views.item_edit, name="item_new"),
    path("services/catalogue/<int:pk>/", views.catalogue_item, name="catalogue_item"),
    path("services/catalogue/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("services/catalogue/<int:pk>/publish/", views.item_publish, name="item_publish"),
    path("services/catalogue/<int:pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("services/counter/", views.counter, name="counter"),
    path("services/counter/items/<int:pk>/", views.counter_apply, name="counter_apply"),
    path("services/counter/items/<int:pk>/visit/", views.counter_visit, name="counter_visit"),
    path("services/cases/<int:pk>/steps/<slug:name>/", views.step, name="step"),
    path("services/cases/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("services/verification/", views.verification, name="verification"),
    path("services/verification/draw/", views.verification_draw, name="verification_draw"),
    path("services/verification/record/", views.verification_record, name="verification_record"),
    path("services/stats/", views.stats, name="stats"),
    path("services/business/", views.business, name="business"),
    path("services/business/<slug:kind>/", views.business_add, name="business_add"),
]
