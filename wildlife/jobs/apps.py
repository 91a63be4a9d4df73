from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def job_dashboard_cards(user: Any) -> list[dict[str, Any]]:
    """The user's own unfinished jobs, with recent failures in the note (jobs are private: no scope widens it)."""
    if not getattr(user, "is_authenticated", False):
        return []
    from wildlife.jobs.selectors import RECENT_FAILURE_DAYS, job_counts

    counts = job_counts(user=user)
    url = reverse("jobs:my_jobs")
    note = (
        gettext("近 %(days)d 天失败 %(n)d 个") % {"days": RECENT_FAILURE_DAYS, "n": counts["failed"]}
        if counts["failed"]
        else gettext("近 %(days)d 天无失败任务") % {"days": RECENT_FAILURE_DAYS}
    )
    return [
        {
            "key": "my-jobs",
            "label": gettext("我的进行中任务"),
            "value": counts["active"],
            "url": url,
            "note": note,
        }
    ]


class JobsConfig(AppConfig):
    name = "wildlife.jobs"
    label = "jobs"
    verbose_name = _("后台任务")
    dashboard_cards = staticmethod(job_dashboard_cards)
