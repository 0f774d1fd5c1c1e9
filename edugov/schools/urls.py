from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("legal-vps/", views.lvp_list, name="lvp_list"),
    path("legal-vps/<int:pk>/", views.lvp_detail, name="lvp"),
    path("legal-vps/<int:pk>/letter.docx", views.lvp_letter, name="lvp_letter"),
    path("special/", views.special_list, name="special_list"),
    path("education/", views.education, name="education"),
    path("special/<int:pk>/", views.special_case, name="special_case"),
]
