"""The link suggestion engine (issue 19 item 4): which units a record without one probably names."""

from __future__ import annotations

from supervision.link_suggestions import (
    CODE_SCORE,
    Candidate,
    Respondent,
    normalise_unit_name,
    suggest,
)

CODE = "91210212MA0Q1X2Y3Z"


def unit(pk: int, name: str, code: str = "", address: str = "") -> Candidate:
    return Candidate(pk, name, code or f"91210212MA0Q{pk:06d}", address)


def test_the_same_credit_code_wins_over_the_same_name_and_address() -> None:
    respondent = Respondent("登峰海鲜馆", CODE.lower(), "旅顺口区登峰街道黄河路1号")
    by_code = unit(7, "全然不同的名字", CODE)
    by_name_and_address = unit(3, "登峰海鲜馆", address="辽宁省大连市旅顺口区登峰街道黄河路1号")
    found = suggest(respondent, [by_name_and_address, by_code])
    assert [s.unit_pk for s in found] == [7, 3]
    assert found[0].reasons == ("credit_code",)
    assert found[0].score == CODE_SCORE
    assert found[1].reasons == ("name_equal", "address")


def test_an_equal_name_ranks_above_a_name_that_contains_it() -> None:
    respondent = Respondent("大连 登峰海鲜馆")
    found = suggest(respondent, [unit(1, "登峰海鲜馆（长城路店）"), unit(2, "登峰海鲜馆")])
    assert [(s.unit_pk, s.reasons) for s in found] == [
        (2, ("name_equal",)),
        (1, ("name_contains",)),
    ]


def test_a_longer_shared_address_prefix_scores_higher_and_the_street_alone_is_no_match() -> None:
    respondent = Respondent("某摊位", address="旅顺口区登峰街道黄河路12号")
    same = unit(1, "甲店", address="登峰街道黄河路12号")
    same_road = unit(2, "乙店", address="辽宁省大连市旅顺口区登峰街道黄河路30号")
    same_street = unit(3, "丙店", address="登峰街道长江路3号")
    other_street = unit(4, "丁店", address="得胜街道黄河路12号")
    found = suggest(respondent, [other_street, same_street, same_road, same])
    assert [s.unit_pk for s in found] == [1, 2]
    assert found[0].score > found[1].score


def test_at_most_three_suggestions_ties_in_the_order_of_the_units() -> None:
    respondent = Respondent("登峰海鲜馆")
    found = suggest(respondent, [unit(pk, "登峰海鲜馆") for pk in (9, 4, 6, 5, 8)])
    assert [s.unit_pk for s in found] == [4, 5, 6]


def test_nothing_in_common_suggests_nothing() -> None:
    respondent = Respondent("某摊位", "", "某路")
    assert suggest(respondent, [unit(1, "登峰海鲜馆", address="登峰街道黄河路1号")]) == []


def test_names_are_compared_without_width_spaces_punctuation_or_the_place_in_front() -> None:
    assert normalise_unit_name("辽宁省大连市 登峰海鲜馆（长城路店）") == "登峰海鲜馆长城路店"
    assert normalise_unit_name("ＡＢＣ 超市") == "abc超市"
    assert normalise_unit_name("店") == ""
