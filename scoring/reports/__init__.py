"""The periodic reports (DESIGN.md §6–§8, docs/reports.md).

``services`` (what a request may ask for, queueing and building a ``Report``), ``data`` (the
figures a report shows, gathered before rendering), ``summary`` and ``summary_data`` (the
summary page), ``sections`` (sections other apps register), ``render`` (WeasyPrint),
``recovery`` (retries and the stale sweep), ``tasks`` (Celery), and the pages: ``access``,
``filters``, ``views``, ``urls``, ``admin``.
"""
