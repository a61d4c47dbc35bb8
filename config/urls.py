from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from labour.accounts import views as accounts
from labour.attachments import views as attachments
from labour.core import portal
from labour.core import views as core
from labour.notifications import inbox
from labour.notifications import views as notifications

admin.site.site_header = "郑州市建设劳务服务平台 · 运维管理"
admin.site.site_title = "郑州市建设劳务服务平台"
admin.site.index_title = "运维管理"

urlpatterns = [
    path("", accounts.login_page, name="login"),
    path("logout/", accounts.logout, name="logout"),
    path("home/", portal.home, name="home"),
    path("help/", portal.help_page, name="help"),
    path("messages/", inbox.messages_page, name="messages"),
    path("favicon.ico", portal.favicon),
    path("account/password/", accounts.change_password, name="accounts_change_password"),
    path("account/forgot/", accounts.forgot_password, name="forgot_password"),
    path("account/forgot/code/", accounts.forgot_password_code, name="forgot_password_code"),
    path("sms/code/", notifications.send_code, name="send_code"),
    path("dev/sms/", notifications.dev_outbox, name="dev_outbox"),
    path("files/<uuid:attachment_id>/", attachments.download, name="attachment"),
    path("files/<uuid:attachment_id>/thumb/", attachments.preview, name="attachment_thumbnail"),
    path("certification/", include("labour.certification.urls")),
    path("enterprise/", include("labour.enterprises.urls")),
    path("enterprise/accounts/", include("labour.accounts.urls")),
    path("projects/", include("labour.projects.urls")),
    path("audit/", include("labour.audit.urls")),
    path("payroll/", include("labour.payroll.urls")),
    path("arrears/", include("labour.arrears.urls")),
    path("workforce/", include("labour.workforce.urls")),
    path("ops/", admin.site.urls),
    path("healthz", core.healthz, name="healthz"),
]

if settings.BENCH_TOKEN:  # scripts/bench_http.py's own server only
    from labour.certification import bench as queue_bench
    from labour.core import bench

    urlpatterns += [path(f"__bench__/{settings.BENCH_TOKEN}/floor/", bench.floor),
                    path(f"__bench__/{settings.BENCH_TOKEN}/queue-uncached/",
                         queue_bench.queue_uncached)]

handler400 = "labour.core.error_views.bad_request"
handler403 = "labour.core.error_views.permission_denied"
handler404 = "labour.core.error_views.page_not_found"
handler500 = "labour.core.error_views.server_error"
