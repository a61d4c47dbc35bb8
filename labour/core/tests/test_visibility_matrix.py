"""Every tenant model × every kind of actor through `visible_to`, checked against
DESIGN.md's permission table. A model that holds tenant data without a rule, or
with a rule this table does not state, fails here.

The world: project P1 in 中原区 (410102) with general contractor GC, owner OWN and
labour subcontractor LAB; project P2 in 洛阳 (410302) with general contractor FAR.
OUT is a certified enterprise that takes part in nothing.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from labour.attachments.models import Attachment
from labour.audit.models import AuditEvent
from labour.certification.choices import ProjectAccountStatus
from labour.certification.models import EnterpriseApplication, ProjectAccountApplication
from labour.core.roles import AccountKind
from labour.core.visibility import tenant_models
from labour.enterprises.models import Enterprise
from labour.factories import (
    AttachmentFactory,
    AuditEventFactory,
    AuthorityFactory,
    EnterpriseAccountFactory,
    EnterpriseApplicationFactory,
    EnterpriseFactory,
    ImportJobFactory,
    ParticipantFactory,
    PaymentFactory,
    PersonFactory,
    ProjectAccountApplicationFactory,
    ProjectAccountFactory,
    ProjectFactory,
    ProjectInformationFactory,
    ProjectInfoSubmissionFactory,
    ProjectMonthFactory,
    ProjectWorkerFactory,
    SheetSubmissionFactory,
    TeamFactory,
    UnitMonthFactory,
    UserFactory,
    WageCardFactory,
    WageItemFactory,
    WageLineFactory,
    WageSheetFactory,
    WorkerContractFactory,
    WorkerEventFactory,
)
from labour.projects.choices import ParticipantRole
from labour.projects.models import Participant, Project, ProjectInformation, ProjectInfoSubmission

pytestmark = pytest.mark.django_db

# platform records that belong to no tenant: operators read them in /ops/ only
PLATFORM_MODELS = {"notifications.SmsMessage", "notifications.VerificationCode"}

ACTORS = ("anonymous", "operator", "city", "district", "luoyang", "gc", "own", "lab", "out",
          "far", "gc_project", "lab_project", "far_project")


@pytest.fixture
def world():
    w = {}
    w["GC"] = EnterpriseFactory(name="总包", region_code="410102")
    w["OWN"] = EnterpriseFactory(name="建设单位", region_code="410105")
    w["LAB"] = EnterpriseFactory(name="劳务分包", region_code="410102")
    w["OUT"] = EnterpriseFactory(name="无关企业", region_code="410100")
    w["FAR"] = EnterpriseFactory(name="洛阳总包", region_code="410302")
    w["P1"] = ProjectFactory(region_code="410102", units={
        "general_contractor": w["GC"], "owner": w["OWN"]})
    ParticipantFactory(project=w["P1"], role=ParticipantRole.LABOUR_SUBCONTRACTOR,
                       enterprise=w["LAB"])
    w["P2"] = ProjectFactory(region_code="410302", units={"general_contractor": w["FAR"]})
    users = {
        "anonymous": AnonymousUser(),
        "operator": UserFactory(kind=AccountKind.OPERATOR, is_staff=True),
        "city": AuthorityFactory(region_code="410100"),
        "district": AuthorityFactory(region_code="410102"),
        "luoyang": AuthorityFactory(region_code="410300"),
        "gc": EnterpriseAccountFactory(enterprise=w["GC"]),
        "own": EnterpriseAccountFactory(enterprise=w["OWN"]),
        "lab": EnterpriseAccountFactory(enterprise=w["LAB"]),
        "out": EnterpriseAccountFactory(enterprise=w["OUT"]),
        "far": EnterpriseAccountFactory(enterprise=w["FAR"]),
        "gc_project": ProjectAccountFactory(enterprise=w["GC"], project=w["P1"]),
        "lab_project": ProjectAccountFactory(enterprise=w["LAB"], project=w["P1"]),
        "far_project": ProjectAccountFactory(enterprise=w["FAR"], project=w["P2"]),
    }
    w["users"] = users
    w["I1"] = ProjectInformationFactory(project=w["P1"])
    w["I2"] = ProjectInformationFactory(project=w["P2"])
    w["S1"] = ProjectInfoSubmissionFactory(project=w["P1"])
    w["S2"] = ProjectInfoSubmissionFactory(project=w["P2"])
    # a pending 企业账号认证 of 中原区 and one of 洛阳 (not yet enterprises)
    w["A_zy"] = EnterpriseApplicationFactory(region_code="410102")
    w["A_ly"] = EnterpriseApplicationFactory(region_code="410302")
    # a pending 项目账号认证 of OUT on P1 (it is not a participant: refused later, but
    # its own enterprise account reviews it)
    w["PA_out"] = ProjectAccountApplicationFactory(enterprise=w["OUT"], project=w["P1"])
    # audit events, one per scope
    w["E_gc"] = AuditEventFactory(region_code="410102", enterprise=w["GC"], project=w["P1"])
    w["E_lab"] = AuditEventFactory(region_code="410102", enterprise=w["LAB"], project=w["P1"])
    w["E_lab_own"] = AuditEventFactory(region_code="410102", enterprise=w["LAB"])
    w["E_far"] = AuditEventFactory(region_code="410302", enterprise=w["FAR"], project=w["P2"])
    w["E_sms"] = AuditEventFactory(region_code="")
    w["loose"] = AttachmentFactory()  # held by nothing
    # the roster: GC's and LAB's workers on P1, FAR's on P2; one person (X) is on
    # LAB's roster of P1 and FAR's of P2
    parts = {(p.project_id, p.credit_code): p for p in Participant.objects.all()}
    gc_p1 = parts[(w["P1"].pk, w["GC"].credit_code)]
    lab_p1 = parts[(w["P1"].pk, w["LAB"].credit_code)]
    far_p2 = parts[(w["P2"].pk, w["FAR"].credit_code)]
    w["X"] = PersonFactory()
    w["T_gc"] = TeamFactory(participant=gc_p1)
    w["T_lab"] = TeamFactory(participant=lab_p1)
    w["T_far"] = TeamFactory(participant=far_p2)
    w["W_gc"] = ProjectWorkerFactory(participant=gc_p1, team=w["T_gc"])
    w["W_lab"] = ProjectWorkerFactory(participant=lab_p1, team=w["T_lab"], person=w["X"])
    w["W_far"] = ProjectWorkerFactory(participant=far_p2, team=w["T_far"], person=w["X"])
    w["P_gc"] = w["W_gc"].person
    for key in ("gc", "lab", "far"):
        worker = w[f"W_{key}"]
        w[f"C_{key}"] = WorkerContractFactory(worker=worker)
        w[f"K_{key}"] = WageCardFactory(worker=worker)
        w[f"V_{key}"] = WorkerEventFactory(worker=worker)
    w["J_lab"] = ImportJobFactory(participant=lab_p1)
    # payroll: a sheet of each team, submitted, paid in part
    for key in ("gc", "lab", "far"):
        sheet = WageSheetFactory(team=w[f"T_{key}"], status="paying")
        w[f"G_{key}"] = sheet
        w[f"SS_{key}"] = SheetSubmissionFactory(sheet=sheet, status="approved")
        w[f"PY_{key}"] = PaymentFactory(sheet=sheet)
        w[f"L_{key}"] = WageLineFactory(sheet=sheet, worker=w[f"W_{key}"])
        w[f"WI_{key}"] = WageItemFactory(line=w[f"L_{key}"])
    # 欠薪预警 facts: a month of each team's participant, a month of each project
    for key in ("gc", "lab", "far"):
        w[f"UM_{key}"] = UnitMonthFactory(participant=w[f"T_{key}"].participant)
    w["PM_1"] = ProjectMonthFactory(project=w["P1"])
    w["PM_2"] = ProjectMonthFactory(project=w["P2"])
    return w


def _name_rows(w):
    """Every row of every tenant model, by a short name."""
    names = {}
    for key, obj in w.items():
        if hasattr(obj, "_meta"):
            names[(obj._meta.label, obj.pk)] = key
    for key, user in w["users"].items():
        if key != "anonymous":
            names[(user._meta.label, user.pk)] = key
    for enterprise_key in ("GC", "OWN", "LAB", "OUT", "FAR"):
        enterprise = w[enterprise_key]
        names[(EnterpriseApplication._meta.label, enterprise.application_id)] = f"A_{enterprise_key}"
    for p in Participant.objects.select_related("project"):
        project = "P1" if p.project_id == w["P1"].pk else "P2"
        unit = next((k for k in ("GC", "OWN", "LAB", "FAR") if w[k].credit_code == p.credit_code),
                    "uncertified")
        names[(Participant._meta.label, p.pk)] = f"{project}:{p.role}:{unit}"
    accounts = {u.pk: key for key, u in w["users"].items() if key != "anonymous"}
    for a in ProjectAccountApplication.objects.filter(status=ProjectAccountStatus.APPROVED):
        names[(ProjectAccountApplication._meta.label, a.pk)] = f"PA_{accounts[a.account_id]}"
    return names


P1_PARTS = {"P1:general_contractor:GC", "P1:owner:OWN", "P1:supervisor:uncertified",
            "P1:labour_subcontractor:LAB"}
P2_PARTS = {"P2:general_contractor:FAR", "P2:owner:uncertified", "P2:supervisor:uncertified"}
NONE: set = set()

# the roster (issue 8): the participant itself, the general contractor of the
# project (reads every participant's), the authority of the region
P1_ROSTER = {"city", "district", "gc", "gc_project"}


def _roster(gc_key, lab_key, far_key):
    rows = {actor: {gc_key, lab_key} for actor in P1_ROSTER}
    rows.update({"lab": {lab_key}, "lab_project": {lab_key}, "luoyang": {far_key},
                 "far": {far_key}, "far_project": {far_key}})
    return rows


# DESIGN.md, permissions table, model by model: what each actor may read.
EXPECTED = {
    "workforce.ProjectWorker": _roster("W_gc", "W_lab", "W_far"),
    "workforce.Team": _roster("T_gc", "T_lab", "T_far"),
    "workforce.WorkerContract": _roster("C_gc", "C_lab", "C_far"),
    "workforce.WageCard": _roster("K_gc", "K_lab", "K_far"),
    "workforce.WorkerEvent": _roster("V_gc", "V_lab", "V_far"),
    # a person: whoever sees one of its roster rows (X is on LAB's P1 and FAR's P2)
    "workforce.Person": _roster("P_gc", "X", "X"),
    # payroll (issue 9): like the roster: the preparing participant, the general
    # contractor of the project (confirms and pays), the authority (reads)
    "payroll.WageSheet": _roster("G_gc", "G_lab", "G_far"),
    "payroll.SheetSubmission": _roster("SS_gc", "SS_lab", "SS_far"),
    "payroll.Payment": _roster("PY_gc", "PY_lab", "PY_far"),
    "payroll.WageLine": _roster("L_gc", "L_lab", "L_far"),
    "payroll.WageItem": _roster("WI_gc", "WI_lab", "WI_far"),
    # 欠薪预警 (issue 9 items 7, 8): a participant's months like its sheets; a project's
    # months to the authority and the general contractor
    "arrears.UnitMonth": _roster("UM_gc", "UM_lab", "UM_far"),
    "arrears.ProjectMonth": {"city": {"PM_1"}, "district": {"PM_1"}, "luoyang": {"PM_2"},
                             "gc": {"PM_1"}, "gc_project": {"PM_1"}, "far": {"PM_2"},
                             "far_project": {"PM_2"}},
    # an import: only the participant that made it
    "workforce.ImportJob": {"lab": {"J_lab"}, "lab_project": {"J_lab"}},
    # projects: the authority of the region (and the province/city above it); the
    # participants (enterprise account, or its project account of that project)
    Project: {"city": {"P1"}, "district": {"P1"}, "luoyang": {"P2"}, "gc": {"P1"},
              "own": {"P1"}, "lab": {"P1"}, "far": {"P2"}, "gc_project": {"P1"},
              "lab_project": {"P1"}, "far_project": {"P2"}},
    # every participant of a project sees the project's other participants
    Participant: {"city": P1_PARTS, "district": P1_PARTS, "luoyang": P2_PARTS, "gc": P1_PARTS,
                  "own": P1_PARTS, "lab": P1_PARTS, "far": P2_PARTS, "gc_project": P1_PARTS,
                  "lab_project": P1_PARTS, "far_project": P2_PARTS},
    # the project information (its wage account, its 告示牌): authority and participants
    ProjectInformation: {"city": {"I1"}, "district": {"I1"}, "luoyang": {"I2"}, "gc": {"I1"},
                         "own": {"I1"}, "lab": {"I1"}, "far": {"I2"}, "gc_project": {"I1"},
                         "lab_project": {"I1"}, "far_project": {"I2"}},
    # 项目信息完善/审核 history: the reviewing authority and the general contractor
    ProjectInfoSubmission: {"city": {"S1"}, "district": {"S1"}, "luoyang": {"S2"},
                            "gc": {"S1"}, "far": {"S2"}, "gc_project": {"S1"},
                            "far_project": {"S2"}},
    # 企业账号认证审核: the authority of the region the enterprise registered in
    EnterpriseApplication: {
        "city": {"A_zy", "A_GC", "A_OWN", "A_LAB", "A_OUT"},
        "district": {"A_zy", "A_GC", "A_LAB"}, "luoyang": {"A_ly", "A_FAR"}},
    # enterprises: the authority of their region; each account its own enterprise
    Enterprise: {"city": {"GC", "OWN", "LAB", "OUT"}, "district": {"GC", "LAB"},
                 "luoyang": {"FAR"}, "gc": {"GC"}, "own": {"OWN"}, "lab": {"LAB"},
                 "out": {"OUT"}, "far": {"FAR"}, "gc_project": {"GC"},
                 "lab_project": {"LAB"}, "far_project": {"FAR"}},
    # 项目账号审核: the applying unit's enterprise account only
    ProjectAccountApplication: {"gc": {"PA_gc_project"}, "lab": {"PA_lab_project"},
                                "out": {"PA_out"}, "far": {"PA_far_project"}},
    # an account sees itself; an enterprise account also its project accounts
    "accounts.User": {a: {a} for a in ACTORS if a != "anonymous"} | {
        "gc": {"gc", "gc_project"}, "lab": {"lab", "lab_project"}, "far": {"far", "far_project"}},
    # 操作日志: the authority its jurisdiction, an enterprise its own, a project
    # account its enterprise's events on its project
    AuditEvent: {"city": {"E_gc", "E_lab", "E_lab_own"}, "district": {"E_gc", "E_lab", "E_lab_own"},
                 "luoyang": {"E_far"}, "gc": {"E_gc"}, "lab": {"E_lab", "E_lab_own"},
                 "far": {"E_far"}, "gc_project": {"E_gc"}, "lab_project": {"E_lab"},
                 "far_project": {"E_far"}},
}


def _expected(model):
    return EXPECTED.get(model, EXPECTED.get(model._meta.label))


def _visible(model, user, names):
    rows = model._default_manager.visible_to(user).values_list("pk", flat=True)
    return {names.get((model._meta.label, pk), f"?{pk}") for pk in rows}


def test_every_model_is_a_tenant_model_or_a_platform_record():
    labour = [m for m in apps.get_models() if m.__module__.startswith("labour.")]
    tenants = {m._meta.label for m in tenant_models()}
    stray = [m._meta.label for m in labour
             if m._meta.label not in tenants and m._meta.label not in PLATFORM_MODELS]
    assert not stray, f"models without a visibility rule: {stray}"


def test_every_tenant_model_has_its_row_in_the_table():
    missing = [m._meta.label for m in tenant_models()
               if m is not Attachment and _expected(m) is None]
    assert not missing, f"state who sees these in EXPECTED (DESIGN.md): {missing}"


@pytest.mark.parametrize("actor", ACTORS)
def test_visible_to_follows_the_permission_table(world, actor):
    names = _name_rows(world)
    user = world["users"][actor]
    for model in tenant_models():
        if model is Attachment:
            continue
        expected = _expected(model).get(actor, NONE)
        assert _visible(model, user, names) == expected, (model._meta.label, actor)


@pytest.mark.parametrize("actor", ACTORS)
def test_a_file_is_visible_exactly_through_the_objects_that_hold_it(world, actor):
    """Attachments have no rule of their own: a file is visible to whoever may see
    an object that holds it, and a file held by nothing to nobody."""
    user = world["users"][actor]
    holders = set()
    for model in tenant_models():
        if model is Attachment:
            continue
        fields = [f.attname for f in model._meta.concrete_fields
                  if f.is_relation and f.related_model is Attachment]
        if not fields:
            continue
        for row in model._default_manager.visible_to(user).values_list(*fields):
            holders.update(pk for pk in row if pk)
    visible = set(Attachment.objects.visible_to(user).values_list("pk", flat=True))
    assert visible == holders
    assert world["loose"].pk not in visible
    if actor in ("anonymous", "operator", "out"):
        assert visible <= {world["OUT"].certificate_id, world["OUT"].authorisation_letter_id,
                           world["OUT"].id_card_front_id, world["OUT"].id_card_back_id,
                           world["PA_out"].authorisation_letter_id, world["PA_out"].id_card_front_id,
                           world["PA_out"].id_card_back_id}


def test_a_new_tenant_model_without_a_rule_is_refused_at_once():
    from django.db import models

    from labour.core.visibility import VisibleQuerySet, tenant_model

    class NoRule(models.Model):
        objects = VisibleQuerySet.as_manager()

        class Meta:
            app_label = "core"

        def __str__(self):
            return "no rule"

    with pytest.raises(TypeError, match="visible_to"):
        tenant_model(NoRule)


def test_access_answers_404_alike_for_missing_and_not_yours(world):
    from labour.core.errors import PermissionDenied404
    from labour.projects.selectors import access_project

    gc = world["users"]["gc"]
    assert access_project(gc, world["P1"].code) == world["P1"]
    for code in (world["P2"].code, "XM-NO-SUCH"):
        with pytest.raises(PermissionDenied404):
            access_project(gc, code)
    assert issubclass(PermissionDenied404, Http404)
