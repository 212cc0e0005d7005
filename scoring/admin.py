"""Admin registrations: rubric versions, targets, reports."""

from scoring import admin_reports, admin_rubric, admin_targets  # noqa: F401
