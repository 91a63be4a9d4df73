"""No-argument entry points for the jobs worker's periodic schedule (see apps.DiseaseConfig.periodic_tasks).

Both are idempotent: reminders are claimed by a unique (station, period, kind) row, overdue-step alerts by a unique
dedupe key, so a second run in the same period sends nothing.
"""

from __future__ import annotations


def report_reminders() -> str:
    from wildlife.disease.services import report_reminders_run

    return report_reminders_run()


def overdue_steps() -> str:
    from wildlife.disease.services import overdue_steps_run

    return overdue_steps_run()
