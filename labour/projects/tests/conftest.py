"""Shared set-up of the project-information tests: a project whose general
contractor and owner are certified enterprises."""

from datetime import date
from decimal import Decimal

import pytest

from labour.accounts.models import User
from labour.certification.services import approve_application
from labour.projects import information as info_services
from labour.projects.choices import ParticipantRole
from labour.projects.services import ProjectData, UnitRef, create_project
from labour.testing import application_data, make_uscc, submit, upload

GC_PHONE = "13700000001"


def enterprise_account(authority, seq, phone):
    data = application_data(credit_code=make_uscc("410100", seq), seq=seq, phone=phone,
                            name=f"测试企业{seq}")
    approve_application(actor=authority, number=submit(data).number)
    user = User.objects.get(username=data.credit_code)
    user.must_change_password = False
    user.save()
    return user


@pytest.fixture
def setup(authority):
    gc = enterprise_account(authority, 501, GC_PHONE)
    owner = enterprise_account(authority, 502, "13700000002")
    project = create_project(
        actor=authority,
        data=ProjectData(name="郑东新区某住宅项目", region_code="410102", address="郑州市中原区某路1号",
                         category="building", nature="new", total_investment=Decimal("30000"),
                         floor_area=Decimal("90000"), planned_start=date(2026, 12, 1),
                         planned_end=date(2028, 12, 1)),
        first_participants={
            ParticipantRole.GENERAL_CONTRACTOR: UnitRef("测试企业501", gc.username),
            ParticipantRole.OWNER: UnitRef("测试企业502", owner.username),
            ParticipantRole.SUPERVISOR: UnitRef("某监理公司", make_uscc("410100", 503)),
        })
    return {"gc": gc, "owner": owner, "project": project, "authority": authority}


FULL = {
    "manager_name": "李经理", "manager_phone": "13911110000", "labour_manager_name": "王专管",
    "labour_manager_phone": "13922220000", "contract_amount": Decimal("28000.50"),
    "actual_start": date(2026, 12, 5), "wage_bank": "中国建设银行郑州分行",
    "wage_account_no": "41050100000000001", "wage_account_name": "测试企业501",
    "guarantee_amount": Decimal("300"), "guarantee_form": "bank_guarantee",
    "guarantee_date": date(2026, 11, 20),
}


def complete(setup):
    from labour.attachments.services import store_upload

    photo = store_upload(uploaded=upload("告示牌.jpg"), kind="notice_board")
    info_services.save_information(actor=setup["gc"], code=setup["project"].code, data=FULL,
                                   notice_board_photo=photo)
    return photo


