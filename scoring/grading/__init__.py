"""Scoring runs in chunks of units (issue 17 items 4–5): ``chunks`` cuts a run into chunks of a
jurisdiction and an id range, ``records`` reads what grading a chunk needs, ``run`` grades and
stores a chunk and finishes a run. ``scoring.grading.engine.score_units`` runs the chunks in this
process, ``scoring.grading.tasks`` as a Celery chord."""
