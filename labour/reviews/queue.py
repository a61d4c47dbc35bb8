"""What every review queue offers: tabs 待审核 / 已通过 / 已退回 / 全部, a date range of
submission, sorting by 提交时间 and, for an authority, its districts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.utils import timezone

from labour.core.listcache import Fragment, list_fragment
from labour.core.menu import note_pending
from labour.core.regions import district_choices
from labour.core.visibility import is_signed_in

from .choices import ReviewStatus

if TYPE_CHECKING:
    from django.http import HttpRequest, QueryDict

    from labour.core.visibility import Actor

M = TypeVar("M", bound=Model)

TABS = (("pending", "待审核"), ("approved", "已通过"), ("returned", "已退回"), ("all", "全部"))
TAB_STATUS = {"pending": ReviewStatus.SUBMITTED, "approved": ReviewStatus.APPROVED,
              "returned": ReviewStatus.RETURNED}
ORDERS = (("old", "提交时间从早到晚"), ("new", "提交时间从晚到早"))
# a queue as it opens: pending, oldest first
DEFAULT_VIEW: dict[str, Any] = {"tab": "pending", "q": "", "since": None, "until": None,
                                "order": "", "district": ""}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QueueForm(forms.Form):
    """The controls of a queue page (GET). Anything invalid is ignored with a message
    beside it; the queue then shows its default view."""

    tab = forms.ChoiceField(label="状态", choices=TABS, required=False)
    q = forms.CharField(label="搜索", max_length=100, required=False)
    since = forms.DateField(label="提交日期从", required=False, widget=_date_input())
    until = forms.DateField(label="至", required=False, widget=_date_input())
    order = forms.ChoiceField(label="排序", choices=ORDERS, required=False)
    district = forms.ChoiceField(label="区县", required=False)

    def __init__(self, data: QueryDict | None, *, user: Actor, search_label: str = "") -> None:
        super().__init__(data or None)
        self.with_districts = is_signed_in(user) and user.is_authority and bool(user.region_code)
        district = self.fields["district"]
        if self.with_districts and is_signed_in(user) and isinstance(district, forms.ChoiceField):
            district.choices = district_choices(user.region_code)
        else:
            del self.fields["district"]
        if search_label:
            self.fields["q"].widget.attrs["placeholder"] = search_label
        else:
            del self.fields["q"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "结束日期不能早于开始日期")
            data.pop("since", None)  # a range the wrong way round filters nothing
        return data

    @property
    def values(self) -> dict[str, Any]:
        """The valid controls (an invalid one is left out, with its message shown)."""
        data = {}
        if self.is_bound:
            self.is_valid()  # computes cleaned_data of the valid fields
            data = self.cleaned_data
        return {"tab": data.get("tab") or "pending", "q": (data.get("q") or "").strip(),
                "since": data.get("since"), "until": data.get("until"),
                "order": data.get("order") or "", "district": data.get("district") or ""}

    def tab_links(self, query: QueryDict) -> list[dict[str, Any]]:
        """The tabs, each keeping the other controls."""
        links = []
        current = self.values["tab"]
        for value, label in TABS:
            params = query.copy()
            params["tab"] = value
            params.pop("page", None)
            links.append({"value": value, "label": label, "query": params.urlencode(),
                          "current": value == current})
        return links


def filter_queue(qs: QuerySet[M], values: dict[str, Any], *, submitted: str = "submitted_at",
                 status: str = "status", region: str = "region_code",
                 tab_status: dict[str, str] | None = None) -> QuerySet[M]:
    """`qs` (already limited to what the user may see) narrowed by the controls.
    The pending tab lists the oldest first unless asked otherwise; the others the newest."""
    tab = values["tab"]
    statuses = tab_status or TAB_STATUS
    if tab in statuses:
        qs = qs.filter(**{status: statuses[tab]})
    if values["since"]:
        qs = qs.filter(**{f"{submitted}__gte": _start(values["since"])})
    if values["until"]:
        qs = qs.filter(**{f"{submitted}__lt": _start(values["until"] + timedelta(days=1))})
    if values["district"]:
        qs = qs.filter(**{region: values["district"]})
    order = values["order"] or ("old" if tab == "pending" else "new")
    sign = "" if order == "old" else "-"
    return qs.order_by(f"{sign}{submitted}", f"{sign}id")


def queue_page(request: HttpRequest, *, form: Callable[[], QueueForm],
               rows: Callable[[dict[str, Any]], QuerySet[M]], menu: str,
               template: str, per_page: int = 20) -> Fragment:
    """A queue's controls and rows, rendered by `template` (a list fragment: `form`, `tabs`,
    `view`, `page` and `query` in its context; it includes reviews/queue_controls.html)
    and kept until their data changes (labour.core.listcache.list_fragment): `form()`
    makes the controls, `rows(view)` the selector's queryset for their valid values. Its
    paginator counts the rows once; when the view is the whole pending tab, that count
    is also the menu badge of `menu` (the URL name of the queue's menu entry), which is
    then not counted again."""
    def build() -> tuple[QuerySet[M], dict[str, Any], dict[str, Any]]:
        controls = form()
        view = controls.values
        whole_pending = bool(view["tab"] == "pending" and not view.get("q") and not view["since"]
                             and not view["until"] and not view["district"])
        return (rows(view),
                {"form": controls, "view": view, "tabs": controls.tab_links(request.GET)},
                {"whole_pending": whole_pending})

    page = list_fragment(request, build, name=menu, template=template, per_page=per_page)
    if page.meta["whole_pending"]:
        # a count from the list cache was kept when it was made
        note_pending(request, menu, page.meta["count"], keep=not page.hit)
    return page


def _start(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))

