"""The wage ledger (工资支付台账) is kept at least 3 years (保障农民工工资支付条例
第五十条): each submission keeps the signed sheet it was made with, and on
PostgreSQL the database itself refuses to delete a sheet, a submission, a payment,
or a line or item once its sheet left 草稿/已退回 or the line was paid (whatever
the path: a queryset, raw SQL, a script). TRUNCATE (tests' flush) is not a row
delete and is not refused."""

import django.db.models.deletion
from django.db import migrations, models

MESSAGE = "工资支付台账须保存至少3年，不能删除"
EDITABLE = "('draft', 'returned')"

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION payroll_ledger_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}（%）', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION payroll_wageline_kept() RETURNS trigger AS $$
BEGIN
    IF OLD.pay_status = 'unpaid' AND EXISTS (
        SELECT 1 FROM payroll_wagesheet s WHERE s.id = OLD.sheet_id AND s.status IN {EDITABLE}
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{MESSAGE}（%）', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION payroll_wageitem_kept() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM payroll_wageline l JOIN payroll_wagesheet s ON s.id = l.sheet_id
        WHERE l.id = OLD.line_id AND l.pay_status = 'unpaid' AND s.status IN {EDITABLE}
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{MESSAGE}（%）', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql;
"""
TRIGGERS = {
    "payroll_wagesheet": "payroll_ledger_kept",
    "payroll_sheetsubmission": "payroll_ledger_kept",
    "payroll_payment": "payroll_ledger_kept",
    "payroll_wageline": "payroll_wageline_kept",
    "payroll_wageitem": "payroll_wageitem_kept",
}


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)  # "%" is plpgsql's, not a placeholder
    for table, function in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER {table}_kept BEFORE DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION {function}()")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_kept ON {table}")
    for function in sorted(set(TRIGGERS.values())):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")


class Migration(migrations.Migration):

    dependencies = [
        ("attachments", "0002_thumbnail"),
        ("payroll", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="sheetsubmission",
            name="signed_scan",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="attachments.attachment",
                                    verbose_name="工人签字确认的工资支付表"),
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
