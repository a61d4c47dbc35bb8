from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.home, name="home"),
    path("lookup/", views.enterprise_lookup, name="lookup"),
]
