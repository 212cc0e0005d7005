"""Scoring's list exports where ``lyushunkou.list_exports`` looks for every app's
(``<app>/exports.py``): the grade list's, defined with the scores pages in
``scoring/grading/exports.py``."""

from scoring.grading.exports import LIST_EXPORTS

__all__ = ["LIST_EXPORTS"]
