from django.db import migrations, models


def fill_admin_phones(apps, schema_editor):
    """Accounts made before the field: the enterprise account's administrator is the
    enterprise's; a project account's is the one of its approved application."""
    User = apps.get_model("accounts", "User")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Application = apps.get_model("certification", "ProjectAccountApplication")
    phones = dict(Enterprise.objects.values_list("pk", "admin_phone"))
    for user in User.objects.filter(kind="enterprise", enterprise__isnull=False):
        User.objects.filter(pk=user.pk).update(admin_phone=phones.get(user.enterprise_id, ""))
    for account_id, phone in Application.objects.filter(
            status="approved", account__isnull=False).values_list("account_id", "admin_phone"):
        User.objects.filter(pk=account_id).update(admin_phone=phone)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_user_visible_to"),
        ("enterprises", "0002_certificate_date_check"),
        ("certification", "0003_reviewed_submission_and_date_checks"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="admin_phone",
            field=models.CharField(blank=True, max_length=11, verbose_name="账号管理员手机号"),
        ),
        migrations.RunPython(fill_admin_phones, migrations.RunPython.noop),
    ]
