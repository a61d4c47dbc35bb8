from django.urls import path

from . import views

app_name = "payroll"
urlpatterns = [
    path("", views.index, name="index"),
    path("project/<str:code>/", views.project, name="project"),
    path("sheet/<str:number>/", views.sheet, name="sheet"),
    path("sheet/<str:number>/bank-file/", views.bank_file, name="bank_file"),
    path("sheet/<str:number>/payment/", views.payment, name="payment"),
]
