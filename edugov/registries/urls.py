from django.urls import path

from . import views

app_name = "registries"
urlpatterns = [
    path("schools/", views.schools, name="schools"),
    path("schools/new/", views.school_edit, name="school_new"),
    path("schools/<int:pk>/", views.school_detail, name="school"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/new/", views.institution_edit, name="institution_new"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution"),
    path("institutions/<int:pk>/edit/", views.institution_edit, name="institution_edit"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("import/<str:registry>/", views.import_view, name="import"),
    path("import/<str:registry>/template/", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_result, name="import_result"),
]
