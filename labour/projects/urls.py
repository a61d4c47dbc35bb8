from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("manage/", views.authority_list, name="authority_list"),
    path("manage/new/", views.create, name="create"),
    path("manage/<str:code>/", views.authority_detail, name="authority_detail"),
    path("my/", views.my_projects, name="my_projects"),
    path("account/", views.project_home, name="project_home"),
    path("my/<str:code>/", views.enterprise_detail, name="enterprise_detail"),
    path("my/<str:code>/information/", views.information, name="information"),
    path("my/<str:code>/participants/", views.participant_add, name="participant_add"),
    path("my/<str:code>/participants/<int:participant_id>/remove/", views.participant_remove,
         name="participant_remove"),
    path("review/", views.info_review_queue, name="info_review_queue"),
    path("review/<str:code>/", views.info_review_detail, name="info_review_detail"),
]
