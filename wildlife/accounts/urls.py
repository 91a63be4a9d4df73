from django.urls import path

from wildlife.accounts import admin_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/password/", views.password_change_view, name="password_change"),
    path("mfa/", views.mfa_view, name="mfa"),
    path("mfa/setup/", views.mfa_setup_view, name="mfa_setup"),
    path("mfa/disable/", views.mfa_disable_view, name="mfa_disable"),
    # system administrator
    path("users/", admin_views.user_list_view, name="user_list"),
    path("users/new/", admin_views.user_create_view, name="user_create"),
    path("users/<int:pk>/", admin_views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/edit/", admin_views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/departments/", admin_views.user_departments_view, name="user_departments"),
    path("users/<int:pk>/areas/", admin_views.user_area_add_view, name="user_area_add"),
    path("users/<int:pk>/areas/<int:assignment_id>/remove/", admin_views.user_area_remove_view, name="user_area_remove"),
    path("users/<int:pk>/active/", admin_views.user_active_view, name="user_active"),
    path("users/<int:pk>/unlock/", admin_views.user_unlock_view, name="user_unlock"),
    path("users/<int:pk>/mfa-reset/", admin_views.user_mfa_reset_view, name="user_mfa_reset"),
    path("users/<int:pk>/password-reset/", admin_views.user_password_reset_view, name="user_password_reset"),
    # security administrator (locked accounts: also the system administrator, who unlocks)
    path("security/policy/", admin_views.security_policy_view, name="security_policy"),
    path("security/departments/", admin_views.department_list_view, name="department_list"),
    path("security/departments/<int:pk>/", admin_views.department_permissions_view, name="department_permissions"),
    path("security/locked/", admin_views.locked_accounts_view, name="locked_accounts"),
]
