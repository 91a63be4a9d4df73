"""Periodic work of the enforcement app (run by the jobs worker, see wildlife/jobs/schedule.py)."""

from wildlife.enforcement.services import tipoff_flag_overdue


def flag_overdue_tipoffs() -> str:
    """Hourly: open tip-offs past their stage deadline get an overdue alert on their timeline (once per stage)."""
    return f"{tipoff_flag_overdue()} tip-offs newly overdue"
