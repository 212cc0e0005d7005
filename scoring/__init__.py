"""The scoring app: three features over shared models.

- ``grading/``: the Five-Guarantees rubric, the scoring run and unit grades, appeals, the scores
  and calibration pages, and what grades give the apps below (unit-page section, standard and
  supervision providers).
- ``targets/``: the district targets (definitions, evaluation, judging, the summary table and its
  refresh, the demonstration-area checklist), their pages, and ``targets/dashboard/``, the leader
  dashboard and big screen.
- ``reports/``: the periodic PDF reports (requests, data, summary, rendering, recovery, tasks and
  pages).

Shared at the top: ``models/`` (every model, so migrations stay in one place), ``periods``,
``audit_labels``, ``apps`` (registrations with the lower apps), ``admin`` and ``urls`` (which
include the features'), ``tasks`` (Celery's autodiscovery: re-exports the features' tasks, whose
names stay ``scoring.tasks.*``), ``demo``/``demo_evidence`` (the seeder), ``management/`` and
``templatetags/``.
"""
