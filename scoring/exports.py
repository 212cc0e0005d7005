"""Scoring's exportable lists, declared where ``lyushunkou.list_exports`` looks for every app's
(``<app>/exports.py``): the grade list, whose export is built with the scores pages in
``scoring/grading/exports.py``."""

from scoring.grading.exports import SCORE_LIST

LIST_EXPORTS = [SCORE_LIST]
