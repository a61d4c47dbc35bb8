from django.urls import path

from . import views, views_import

app_name = "payroll"
urlpatterns = [
    path("", views.index, name="index"),
    path("project/<str:code>/", views.project, name="project"),
    path("sheet/<str:number>/", views.sheet, name="sheet"),
    path("sheet/<str:number>/bank-file/", views.bank_file, name="bank_file"),
    path("sheet/<str:number>/payment/", views.payment, name="payment"),
    path("sheet/<str:number>/import/", views_import.import_page, name="import"),
    path("sheet/<str:number>/import/template/", views_import.import_template,
         name="import_template"),
    path("sheet/<str:number>/import/<uuid:job_id>/", views_import.import_job, name="import_job"),
    path("sheet/<str:number>/import/<uuid:job_id>/status/", views_import.import_status,
         name="import_status"),
]
