"""Grading: the Five-Guarantees rubric and the grades of units (DESIGN.md §5, docs/rubric.md).

- The rubric and its rules: ``rubric`` (validating a draft, the lifecycle of versions),
  ``rules`` (the record kinds: ``records`` and ``verified``), ``calibration`` (what a rubric
  version would grade, for the page, the command and the admin's activation).
- The scoring run, in chunks of units (issue 17 items 4–5): ``chunks`` cuts a run into chunks of a
  jurisdiction and an id range, ``records`` reads what grading a chunk needs, ``engine_grade``
  grades one unit from its records, ``run`` grades and stores a chunk and finishes a run, and
  ``engine.score_units`` runs the chunks in this process, ``tasks`` as a Celery chord. After a run
  ``notifications`` tells operators whose grade changed and ``status`` lets demonstration status
  follow.
- Appeals and corrections: ``appeals`` (the services).
- The pages: ``access`` (which scores a user may read, and the explanation of one), ``forms``,
  ``views``, ``views_calibration``, ``urls``, ``exports`` (the score and appeal lists as files),
  ``admin`` (rubric versions).
- What grades give the apps below: ``sections`` (the grade on a unit's page),
  ``standard_providers`` (the grade rule of the demonstration-unit standard) and
  ``supervision_providers`` (grades in the risk weights of inspection plans), all registered from
  ``ScoringConfig.ready()``.
"""
