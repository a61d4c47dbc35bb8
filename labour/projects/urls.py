from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("manage/", views.authority_list, name="authority_list"),
    path("manage/new/", views.create, name="create"),
    path("manage/<str:code>/", views.authority_detail, name="authority_detail"),
    path("my/", views.my_projects, name="my_projects"),
    path("my/<str:code>/", views.enterprise_detail, name="enterprise_detail"),
]
