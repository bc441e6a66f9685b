from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("xac-thuc-hai-buoc/", views.two_factor, name="two_factor"),
    path("giu-phien/", views.keep_alive, name="keep_alive"),
    path("", views.profile, name="profile"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("ma-truy-cap/", views.tokens, name="tokens"),
    path("ma-truy-cap/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path("doi-don-vi/", views.switch_unit, name="switch_unit"),
]
