"""One module writes a target's figures for the pages, the CSV exports and the report PDFs
(issue 20 item 3): each formatter, with the differences a reader sees as parameters, in Chinese
and in English where the text translates."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation

from scoring.models import Target
from scoring.targets.formatting import (
    DASH,
    NO_DATA,
    exact,
    format_change,
    format_met,
    format_number,
    format_rate,
    format_share,
    format_threshold,
    format_value,
    is_rate,
)

GTE, LTE, DECREASE = Target.Comparator.GTE, Target.Comparator.LTE, Target.Comparator.DECREASE


@pytest.fixture(params=["zh-hans", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    with translation.override(request.param):
        yield request.param


# exact and is_rate


def test_exact_is_the_decimal_a_float_prints_as() -> None:
    assert exact(0.1) == Decimal("0.1")


def test_exact_keeps_none() -> None:
    assert exact(None) is None


def test_a_percent_unit_is_a_rate_even_padded() -> None:
    assert is_rate(" % ")


def test_a_unit_label_is_not_a_rate() -> None:
    assert not is_rate("批次")


# format_rate


def test_a_rate_is_written_in_percent_with_one_decimal() -> None:
    assert format_rate(Decimal("0.9634")) == "96.3%"


def test_a_rate_takes_more_digits_when_asked() -> None:
    assert format_rate(Decimal("0.96346"), digits=2) == "96.35%"


def test_a_trimmed_rate_drops_a_trailing_zero() -> None:
    assert format_rate(Decimal("0.95"), trim=True) == "95%"


def test_a_trimmed_rate_keeps_a_decimal_that_is_not_zero() -> None:
    assert format_rate(Decimal("0.955"), trim=True) == "95.5%"


def test_a_trimmed_rate_of_one_hundred_keeps_its_zeros() -> None:
    assert format_rate(Decimal(1), trim=True) == "100%"


def test_a_missing_rate_is_a_dash_by_default() -> None:
    assert format_rate(None) == DASH


def test_a_decimal_tie_rounds_half_even_and_a_float_at_its_binary_value() -> None:
    # Why the reports pass exact(): the same 0.1235 prints 12.4% as a decimal, 12.3% as a float.
    assert (format_rate(exact(0.1235)), format_rate(0.1235)) == ("12.4%", "12.3%")


# format_number


def test_a_count_is_written_without_decimals() -> None:
    assert format_number(Decimal("12.000")) == "12"


def test_a_fractional_number_has_two_decimals() -> None:
    assert format_number(Decimal("29.5833")) == "29.58"


def test_the_pages_do_not_group_digits() -> None:
    assert format_number(Decimal(12345)) == "12345"


def test_the_reports_group_digits() -> None:
    assert format_number(Decimal("12345.678"), thousands=True) == "12,345.68"


def test_a_missing_number_is_a_dash_by_default() -> None:
    assert format_number(None) == DASH


def test_a_missing_number_in_a_report_is_no_data(language: str) -> None:
    expected = {"zh-hans": "无数据", "en": "No data"}[language]

    assert format_number(None, no_data=NO_DATA) == expected


# format_value


def test_a_rate_value_is_in_percent() -> None:
    assert format_value(Decimal("0.96"), "%") == "96.0%"


def test_a_value_on_the_pages_carries_its_unit() -> None:
    assert format_value(Decimal("29.583"), "千人") == "29.58 千人"


def test_a_value_without_a_unit_has_no_trailing_space() -> None:
    assert format_value(Decimal("2.5"), "") == "2.50"


def test_a_value_in_a_report_leaves_the_unit_to_its_column() -> None:
    assert format_value(Decimal("29.583"), "千人", with_unit=False) == "29.58"


def test_a_missing_value_on_the_pages_is_empty() -> None:
    assert format_value(None, "%") == ""


def test_a_missing_value_is_never_zero_percent(language: str) -> None:
    expected = {"zh-hans": "无数据", "en": "No data"}[language]

    assert format_value(None, "%", no_data=NO_DATA) == expected


def test_the_targets_package_exports_the_same_format_value() -> None:
    from scoring import targets

    assert targets.format_value is format_value


# format_threshold


def test_the_dashboards_rate_threshold_drops_the_zero_decimal() -> None:
    shown = format_threshold(GTE, Decimal("0.9500"), "%", trim=True, with_unit=True)

    assert shown == "≥ 95%"


def test_the_reports_rate_threshold_keeps_it() -> None:
    shown = format_threshold(GTE, Decimal("0.9500"), "%", trim=False, with_unit=False)

    assert shown == "≥ 95.0%"


def test_the_dashboards_threshold_trims_zeros_and_names_the_unit() -> None:
    shown = format_threshold(LTE, Decimal("2.5000"), "千人", trim=True, with_unit=True)

    assert shown == "≤ 2.5 千人"


def test_the_dashboards_whole_threshold_has_no_decimal_point() -> None:
    shown = format_threshold(LTE, Decimal("3.0000"), "", trim=True, with_unit=True)

    assert shown == "≤ 3"


def test_the_reports_threshold_keeps_two_decimals_without_the_unit() -> None:
    shown = format_threshold(LTE, Decimal("2.5000"), "千人", trim=False, with_unit=False)

    assert shown == "≤ 2.50"


def test_a_target_that_must_fall_has_no_number(language: str) -> None:
    expected = {"zh-hans": "同比下降", "en": "falls year on year"}[language]

    assert format_threshold(DECREASE, None, "%", trim=True, with_unit=True) == expected


def test_a_target_without_threshold_shows_a_dash() -> None:
    assert format_threshold(GTE, None, "%", trim=False, with_unit=False) == DASH


# format_change


def test_a_rate_changes_in_percentage_points(language: str) -> None:
    expected = {"zh-hans": "+1.5 个百分点", "en": "+1.5 pp"}[language]

    assert format_change(Decimal("0.965"), Decimal("0.95"), "%") == expected


def test_a_fall_is_signed() -> None:
    assert format_change(Decimal("2.15"), Decimal("2.5"), "千人") == "-0.35"


def test_a_change_without_an_earlier_figure_is_a_dash() -> None:
    assert format_change(Decimal("0.9"), None, "%") == DASH


# format_met


def test_met_translates(language: str) -> None:
    expected = {"zh-hans": "达标", "en": "Met"}[language]

    assert format_met(True) == expected


def test_not_met_translates(language: str) -> None:
    expected = {"zh-hans": "未达标", "en": "Not met"}[language]

    assert format_met(False) == expected


def test_neither_met_nor_missed_is_no_data(language: str) -> None:
    expected = {"zh-hans": "无数据", "en": "No data"}[language]

    assert format_met(None) == expected


# format_share


def test_a_share_is_written_exactly_in_percent() -> None:
    assert format_share(1, 8) == "12.5%"


def test_a_share_rounds_its_decimal_value() -> None:
    # 247 / 2000 = 0.1235: 12.4% as the decimal it prints as, not 12.3% from the float.
    assert format_share(247, 2000) == "12.4%"


def test_a_share_of_nothing_is_no_data(language: str) -> None:
    expected = {"zh-hans": "无数据", "en": "No data"}[language]

    assert format_share(0, 0) == expected
