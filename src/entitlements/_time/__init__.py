"""Time zones, schedules, holidays, per-year day tables, the business calendar."""
