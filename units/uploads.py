"""Checks on uploaded evidence. The generic check lives in ``lyushunkou.uploads`` so that notice
attachments follow the same rules; units keeps this name for its callers."""

from __future__ import annotations

from lyushunkou.uploads import ALLOWED, check_upload

__all__ = ["ALLOWED", "check_upload"]
