"""Login with lock-out, password change (seed 2.7), password reset, authority accounts."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from labour.audit.models import Action
from labour.audit.services import model_update, record
from labour.core import ratelimit
from labour.core.errors import PermissionDenied404, ServiceError
from labour.core.http import client_ip
from labour.core.roles import AccountKind
from labour.core.validators import normalise, validate_region_code
from labour.notifications import services as sms
from labour.notifications.choices import CodePurpose, SmsTemplate

from .models import User
from .passwords import check_password_rule, random_password

if TYPE_CHECKING:
    from django.http import HttpRequest

    from labour.core.visibility import Actor
    from labour.enterprises.models import Enterprise
    from labour.projects.models import Project

BAD_LOGIN = "账号或密码错误"


def _locked_message() -> str:
    return f"连续登录失败次数过多，账号已锁定，请{settings.LOGIN_LOCK_MINUTES}分钟后再试"


def _failures_key(username: str, ip: str | None) -> str:
    """Failures of one account from one address (whether the account exists or not).
    The account's generation is part of the key: a reset by SMS code starts afresh
    from every address at once."""
    generation = cache.get(f"login-gen:{username}", 0)
    return f"login-fail:{username}:{generation}:{ip or '-'}"


def _forget_failures(username: str) -> None:
    key = f"login-gen:{username}"
    if not cache.add(key, 1, timeout=None):
        cache.incr(key)


TOO_MANY_FROM_HERE = "登录尝试过于频繁，请稍后再试；如忘记密码，请使用“忘记密码”"
_DUMMY_HASH: list[str] = []


def prepare_dummy_hash() -> None:
    """The hash an unknown account's password is checked against, made once per process
    with the default hasher. The production server makes it before its workers start
    (config/gunicorn.py): made at the first unknown login, it would make that answer
    slower than a known account's."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(make_password(random_password()))


def _burn_a_check(password: str) -> None:
    """An unknown account costs the same password hashing as a real one, so that the
    time of the answer does not tell whether an account exists."""
    prepare_dummy_hash()
    check_password(password, _DUMMY_HASH[0])


def normalise_username(username: str) -> str:
    username = (username or "").strip()
    # enterprise login names are credit codes: accept them in any case or width
    candidate = normalise(username)
    if len(candidate) in (9, 18) and User.objects.filter(username=candidate).exists():
        return candidate
    return username


def authenticate_login(*, request: HttpRequest, username: str, password: str, kind: str) -> User:
    """Check a login for the part of the login page (kind). Raises ServiceError.

    Five wrong passwords lock the account *from that address* for 30 minutes (so that
    nobody can keep an enterprise — whose login name is its public credit code —
    locked out from elsewhere; the owner can always reset by SMS code, 忘记密码), and
    one address may fail only so often per hour across all accounts. Unknown accounts
    are counted, locked and timed like real ones, so the answer never tells whether an
    account exists. Failures are committed before the error."""
    username = normalise_username(username)
    with transaction.atomic():
        user, error = _check_login(request, username, password, kind)
    if error or user is None:
        raise ServiceError(error or BAD_LOGIN)
    return user


def _check_login(request: HttpRequest, username: str, password: str,
                 kind: str) -> tuple[User | None, str | None]:
    now = timezone.now()
    ip = client_ip(request)
    key = _failures_key(username, ip)
    state = cache.get(key) or {"failures": 0, "until": 0.0}
    user = User.objects.select_for_update().filter(username=username, is_active=True).first()
    if state["until"] > now.timestamp():
        record(action=Action.LOGIN_FAILURE, actor=None, request=request, obj=user,
               username=username[:50], reason="locked")
        return None, _locked_message()
    if ip and ratelimit.peek(f"login-ip:{ip}", 3600) >= settings.LOGIN_IP_HOURLY_FAILURES:
        record(action=Action.LOGIN_FAILURE, actor=None, request=request, obj=user,
               username=username[:50], reason="address throttled")
        return None, TOO_MANY_FROM_HERE
    allowed_kinds = {kind} | ({AccountKind.OPERATOR} if kind == AccountKind.AUTHORITY else set())
    if user is None:
        _burn_a_check(password)
        right = False
    else:
        right = user.check_password(password) and user.kind in allowed_kinds
    if not right:
        lock_seconds = settings.LOGIN_LOCK_MINUTES * 60
        state["failures"] += 1
        if ip:
            ratelimit.hit(f"login-ip:{ip}", settings.LOGIN_IP_HOURLY_FAILURES, 3600)
        record(action=Action.LOGIN_FAILURE, actor=None, request=request, obj=user,
               username=username[:50], failures=state["failures"])
        if state["failures"] >= settings.LOGIN_MAX_FAILURES:
            state = {"failures": 0, "until": now.timestamp() + lock_seconds}
            record(action=Action.LOCKOUT, actor=None, request=request, obj=user,
                   username=username[:50],
                   until=(now + timedelta(seconds=lock_seconds)).isoformat())
            cache.set(key, state, timeout=lock_seconds + 60)
            return None, _locked_message()
        cache.set(key, state, timeout=lock_seconds + 60)
        return None, BAD_LOGIN
    assert user is not None
    cache.delete(key)
    user.last_login = now
    user.save(update_fields=["last_login"])
    record(action=Action.LOGIN_SUCCESS, actor=user, request=request, obj=user)
    return user, None


def logout(*, request: HttpRequest) -> None:
    """「退出」: the session ends (audited)."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        record(action=Action.LOGOUT, actor=user, request=request, obj=user)
    django_logout(request)


def login(*, request: HttpRequest, username: str, password: str, kind: str) -> User:
    user = authenticate_login(request=request, username=username, password=password, kind=kind)
    # django's login() rotates the session key (no session fixation)
    django_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return user


def _validate_new_password(user: User, new_password: str, confirm: str) -> None:
    if new_password != confirm:
        raise ServiceError("两次输入的新密码不一致", field="confirm_password")
    try:
        check_password_rule(new_password)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], field="new_password") from None


def change_password(*, actor: User, request: HttpRequest, old_password: str, new_password: str,
                    confirm: str) -> User:
    """seed 2.7 「修改密码」. Every other session of the account ends; this one stays."""
    with transaction.atomic():
        user, error = _change_password(actor, request, old_password, new_password, confirm)
    if error:
        raise error
    # the session auth hash follows the password: other sessions are logged out
    update_session_auth_hash(request, user)
    return user


def _change_password(actor: User, request: HttpRequest, old_password: str, new_password: str,
                     confirm: str) -> tuple[User, ServiceError | None]:
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(old_password):
        record(action=Action.LOGIN_FAILURE, actor=user, request=request, obj=user,
               reason="wrong old password")
        return user, ServiceError("旧密码不正确", field="old_password")
    try:
        _validate_new_password(user, new_password, confirm)
    except ServiceError as exc:
        return user, exc
    if user.check_password(new_password):
        return user, ServiceError("新密码不能与旧密码相同", field="new_password")
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record(action=Action.PASSWORD_CHANGED, actor=user, request=request, obj=user)
    return user, None


def _reset_target(username: str, phone: str) -> User | None:
    username = normalise_username(username)
    return User.objects.filter(username=username, is_active=True, admin_phone=phone).first()


def send_reset_code(*, username: str, phone: str, ip: str | None = None) -> int:
    """「忘记密码」 code: sent only when the phone is the account's administrator
    phone, but the answer is the same either way."""
    target = _reset_target(username, phone)
    return sms.send_code(phone=phone, purpose=CodePurpose.PASSWORD_RESET, ip=ip,
                         deliver_to_phone=target is not None)


def reset_password(*, actor: None, request: HttpRequest, username: str, phone: str, code: str,
                   new_password: str, confirm: str) -> User:
    ip = client_ip(request)
    sms.check_code(phone=phone, purpose=CodePurpose.PASSWORD_RESET, code=code, ip=ip)
    with transaction.atomic():
        target = _reset_target(username, phone)
        if target is None:
            raise ServiceError("账号与手机号不匹配", field="username")
        _validate_new_password(target, new_password, confirm)
        sms.use_code(phone=phone, purpose=CodePurpose.PASSWORD_RESET, code=code, ip=ip)
        target.set_password(new_password)
        target.must_change_password = False
        target.password_changed_at = timezone.now()
        target.save(update_fields=["password", "must_change_password", "password_changed_at"])
        record(action=Action.PASSWORD_RESET, actor=actor, request=request, obj=target)
    # the owner, proven by the SMS code, is let in again from wherever it was locked
    _forget_failures(target.username)
    return target


def create_account(*, actor: Actor, kind: str, username: str, display_name: str,
                   enterprise: Enterprise | None, admin_phone: str,
                   project: Project | None = None, ip: str | None = None) -> tuple[User, str]:
    """An enterprise account or a project account, made by approving its certification:
    a random password (sent by SMS by the caller, after commit) that must be changed at
    the first login (seed 2.7). Returns (user, password). Call inside the approval."""
    if kind not in (AccountKind.ENTERPRISE, AccountKind.PROJECT):
        raise ValueError(f"create_account makes enterprise and project accounts, not {kind}")
    password = random_password()
    user = User.objects.create_user(
        username=username, password=password, kind=kind, display_name=display_name,
        enterprise=enterprise, project=project, admin_phone=admin_phone,
        must_change_password=True)
    record(action=Action.ACCOUNT_CREATED, actor=actor, ip=ip, obj=user, kind=kind,
           username=username)
    return user, password


@transaction.atomic
def save_authority_user(*, actor: Actor, username: str, region_code: str, name: str,
                        password: str) -> tuple[User, bool]:
    """Create or update a reviewer account of an authority (no forced change)."""
    region_code = validate_region_code(region_code)
    check_password_rule(password)
    user, created = User.objects.get_or_create(username=username,
                                               defaults={"kind": AccountKind.AUTHORITY})
    user.kind = AccountKind.AUTHORITY
    user.region_code = region_code
    user.display_name = name
    user.is_active = True
    user.must_change_password = False
    user.set_password(password)
    user.save()
    record(action=Action.AUTHORITY_SAVED, actor=actor, obj=user, created=created,
           region_code=region_code)
    return user, created


# ---------------------------------------------------------------- 项目账号管理 (enterprise)

def _own_project_account(actor: User, username: str) -> User:
    """A project account of the actor's enterprise, locked; anyone else's: 404."""
    if not actor.is_enterprise:
        raise PermissionDenied404
    return (User.objects.get_queryset().filter(kind=AccountKind.PROJECT)
            .select_related("project", "enterprise")
            .access(actor, username=username, for_update=True))


@transaction.atomic
def set_account_active(*, actor: User, username: str, active: bool,
                       ip: str | None = None) -> User:
    """「停用」/「启用」 a project account of the actor's enterprise. A disabled account
    cannot log in and its sessions end at once."""
    account = _own_project_account(actor, username)
    changes = model_update(account, {"is_active": active})
    if not changes:
        raise ServiceError("该账号已是启用状态" if active else "该账号已是停用状态")
    record(action=Action.ACCOUNT_ENABLED if active else Action.ACCOUNT_DISABLED, actor=actor,
           ip=ip, obj=account, changes=changes, username=account.username)
    return account


@transaction.atomic
def reset_account_password(*, actor: User, username: str, ip: str | None = None) -> User:
    """「重置密码」 of a project account of the actor's enterprise: a new random
    password, sent by SMS to that account's administrator; it must be changed at the
    next login, and the account's sessions end."""
    account = _own_project_account(actor, username)
    if not account.admin_phone:
        raise ServiceError("该账号没有账号管理员手机号，无法发送新密码")
    password = random_password()
    account.set_password(password)
    account.must_change_password = True
    account.password_changed_at = timezone.now()
    account.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record(action=Action.ACCOUNT_PASSWORD_RESET, actor=actor, ip=ip, obj=account,
           username=account.username, admin_phone=account.admin_phone)
    project = account.project
    sms.queue_sms(phone=account.admin_phone, template=SmsTemplate.PROJECT_ACCOUNT_PASSWORD_RESET,
                  params={"name": actor.enterprise.name if actor.enterprise else "",
                          "project": project.name if project else "",
                          "username": account.username, "password": password})
    return account
