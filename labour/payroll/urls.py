from django.urls import path

from . import views, views_documents, views_import, views_query

app_name = "payroll"
urlpatterns = [
    path("", views.index, name="index"),
    path("project/<str:code>/", views.project, name="project"),
    path("sheet/<str:number>/", views.sheet, name="sheet"),
    path("sheet/<str:number>/bank-file/", views.bank_file, name="bank_file"),
    path("sheet/<str:number>/payment/", views.payment, name="payment"),
    path("sheet/<str:number>/print/", views_documents.pay_table, name="pay_table"),
    path("sheet/<str:number>/slips/", views_documents.wage_slips, name="wage_slips"),
    path("sheet/<str:number>/voucher/", views_documents.voucher, name="voucher"),
    path("project/<str:code>/notice-board/", views_documents.notice_board, name="notice_board"),
    # 工资查询: a worker without an account (anonymous)
    path("query/", views_query.query_form, name="query"),
    path("query/code/", views_query.query_code, name="query_code"),
    path("query/wages/", views_query.query_result, name="query_result"),
    path("query/wages/<int:line_id>/", views_query.query_line, name="query_line"),
    path("query/slips/", views_query.query_slips, name="query_slips"),
    path("query/end/", views_query.query_end, name="query_end"),
    path("sheet/<str:number>/import/", views_import.import_page, name="import"),
    path("sheet/<str:number>/import/template/", views_import.import_template,
         name="import_template"),
    path("sheet/<str:number>/import/<uuid:job_id>/", views_import.import_job, name="import_job"),
    path("sheet/<str:number>/import/<uuid:job_id>/status/", views_import.import_status,
         name="import_status"),
]
