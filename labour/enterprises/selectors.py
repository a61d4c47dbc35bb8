from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Enterprise

if TYPE_CHECKING:
    from labour.core.visibility import Actor


def access_enterprise(user: Actor, pk: int) -> Enterprise:
    """The enterprise, with its documents, if `user` may see it; else 404."""
    return (Enterprise.objects.select_related(
        "certificate", "authorisation_letter", "id_card_front", "id_card_back", "application")
        .access(user, pk=pk))


def find_certified(name_or_code: str) -> Enterprise | None:
    """A certified enterprise by its exact 单位名称 or its credit code (the applicant
    of 项目账号认证 names its unit; enterprises are public)."""
    from django.db.models import Q

    from labour.core.validators import normalise

    value = (name_or_code or "").strip()
    if not value:
        return None
    return Enterprise.objects.filter(Q(name=value) | Q(credit_code=normalise(value))).first()


def find_by_name_and_code(name: str, code: str) -> Enterprise | None:
    """The certified enterprise with exactly this 单位名称 and this credit code (the
    applicant of 项目账号认证 names both: knowing one public identifier is not enough
    to list a unit's projects)."""
    from labour.core.validators import normalise

    name = " ".join((name or "").split())
    code = normalise(code)
    if not name or not code:
        return None
    return Enterprise.objects.filter(name=name, credit_code=code).first()


def by_credit_codes(codes: list[str]) -> dict[str, Enterprise]:
    """Certified enterprises among `codes`, by credit code (public directory)."""
    return {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}


def lookup(query: str, *, limit: int = 10) -> list[Enterprise]:
    """Certified enterprises whose 单位名称 contains `query` or whose credit code starts
    with it (as typed in 新建项目 and 添加参建单位)."""
    from django.db.models import Q

    from labour.core.search import text_search
    from labour.core.validators import normalise

    query = (query or "").strip()
    if len(query) < 2:
        return []
    code = normalise(query)
    # the name by labour.core.search's rule (trigram / bigram indexes on PostgreSQL)
    condition = text_search(query, names=["name"]) or Q(name__icontains=query)
    if code.isalnum():
        condition |= Q(credit_code__startswith=code)
    return list(Enterprise.objects.filter(condition).order_by("name")[:limit])
