from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("phone/", views.phone_login, name="phone_login"),
    path("phone/verify/", views.phone_verify, name="phone_verify"),
    path("otp/", views.otp, name="otp"),
    path("otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("password/", views.password_change, name="password_change"),
    path("home/", views.home, name="home"),
    path("legal-settings/", views.legal_settings, name="legal_settings"),
    path("away/", views.away, name="away"),
    path("away/notify/", views.away_notify, name="away_notify"),
    path("away/<int:pk>/cancel/", views.away_cancel, name="away_cancel"),
]
