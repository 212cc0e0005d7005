"""No admin pages: sampling, checks and enforcement records are managed in the portal, through the
services, so that every change is audited, scoped and keeps ``final_result`` in step."""
