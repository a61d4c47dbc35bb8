"""One visibility layer: who may see which rows (DESIGN.md, permissions table).

Every tenant model's queryset subclasses `VisibleQuerySet` and says, in its
`visible_to(user)`, which rows a user may see. Rules are built from two functions
stated once: `jurisdiction()` here (an authority sees its region and below) and
`labour.projects.visibility.participation()` (an enterprise sees its own
participations). Single objects are fetched with `access()` (or an app's
`access_<entity>()` built on it), which raises `PermissionDenied404` for
"missing" and "not yours" alike.

Users are read through their attributes (`is_authority`, `region_code`,
`enterprise_id`, ...): this module imports no domain app at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeAlias, TypeGuard

from django.db import models
from django.db.models import Q

from .errors import PermissionDenied404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from labour.accounts.models import User

    Actor: TypeAlias = User | AnonymousUser | None
else:  # importable at run time too (it only ever serves in annotations)
    Actor: TypeAlias = object

# a condition no row meets (Q() would be "every row")
NOTHING = Q(pk__in=[])

_TENANT_MODELS: list[type[models.Model]] = []


def is_signed_in(user: Actor) -> TypeGuard[User]:
    """A signed-in, active account (narrows `user` to User for the rules)."""
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


# the attributes of an actor the rules read (a test reads the rules and fails on another)
SCOPE_ATTRIBUTES = ("pk", "kind", "is_active", "region_code", "enterprise_id", "project_id")


def scope_key(user: Actor) -> tuple[Any, ...]:
    """Everything of `user` that decides which rows the rules show: two requests with the
    same scope key see the same rows (the list cache, labour.core.listcache, keys its
    entries by it; the account itself is part of it, so no entry is shared between two
    accounts). An enterprise's rows are found by its credit code, which is part of it."""
    if not is_signed_in(user):
        return ("anonymous",)
    enterprise = user.enterprise if user.enterprise_id is not None else None
    return (*(getattr(user, name) for name in SCOPE_ATTRIBUTES),
            enterprise.credit_code if enterprise is not None else None)


def jurisdiction_prefix(region_code: str) -> str:
    """410000 sees 41xxxx, 410100 sees 4101xx, 410102 sees only 410102."""
    if region_code.endswith("0000"):
        return region_code[:2]
    if region_code.endswith("00"):
        return region_code[:4]
    return region_code


def jurisdiction(user: Actor, field: str = "region_code") -> Q:
    """The jurisdiction rule: rows whose `field` (a GB/T 2260 code, or a path to one)
    lies in the authority's region. Anyone but a signed-in authority: nothing."""
    if not is_signed_in(user) or not user.is_authority or not user.region_code:
        return NOTHING
    return Q(**{f"{field}__startswith": jurisdiction_prefix(user.region_code)})


def in_jurisdiction(user: Actor, region_code: str) -> bool:
    """The same rule for one region code (e.g. a project about to be created)."""
    if not is_signed_in(user) or not user.is_authority or not user.region_code:
        return False
    return region_code.startswith(jurisdiction_prefix(user.region_code))


class VisibleQuerySet(models.QuerySet):
    """A tenant model's queryset. Subclasses implement `visible_to`."""

    def visible_to(self, user: Actor) -> Self:
        raise NotImplementedError(f"{self.model.__name__} has no visibility rule")

    def access(self, user: Actor, *, for_update: bool = False, **lookup: Any) -> Any:
        """The one row matching `lookup` that `user` may see, else PermissionDenied404.
        `for_update` locks it (that row only, not the rows it is joined with) inside the
        caller's transaction."""
        qs = self.visible_to(user)
        if for_update:
            qs = qs.select_for_update(of=("self",))
        obj = qs.filter(**lookup).first()
        if obj is None:
            raise PermissionDenied404
        return obj


def visible_rows(model: type[models.Model], user: Actor) -> VisibleQuerySet:
    """`model`'s rows that `user` may see (for code that walks several models)."""
    queryset = model._default_manager.all()
    assert isinstance(queryset, VisibleQuerySet), f"{model.__name__} is not a tenant model"
    return queryset.visible_to(user)


def tenant_model(model: type[models.Model]) -> type[models.Model]:
    """Class decorator: `model` holds tenant data and its default manager's queryset
    has a `visible_to` rule (checked at once, walked by the permission-table test)."""
    queryset = model._default_manager.get_queryset()
    if not isinstance(queryset, VisibleQuerySet) or (
            type(queryset).visible_to is VisibleQuerySet.visible_to):
        raise TypeError(f"{model.__name__}: a tenant model needs a VisibleQuerySet with visible_to")
    if model not in _TENANT_MODELS:
        _TENANT_MODELS.append(model)
    return model


def tenant_models() -> list[type[models.Model]]:
    return list(_TENANT_MODELS)
