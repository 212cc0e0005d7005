"""The numbers and texts the complaints seeder draws from: sizes, weights of channels, categories,
months and outcomes, the wording of requests and reports, and the scenarios every
run starts with."""

from __future__ import annotations

from complaints.models import (
    Category,
    Channel,
    Kind,
    OdrResponse,
    Outcome,
    RefusalGround,
    Satisfaction,
    Status,
    TerminationGround,
)

S = Status
SIZES = {"district": 5_000, "city": 100_000, "province": 500_000}
BATCH_SIZE = 2_000
SURVEYS_PER_COMPLAINT = 0.2  # ~1,000 answers a year at district scale
REPORT_SHARE = 0.08
LINKED_SHARE = 0.70
UNIT_POOL = 20_000  # units drawn from; a sample of the register at city and province scale
OPERATORS = ("operator", "operator2")

CHANNEL_WEIGHTS = {
    Channel.PLATFORM: 43,
    Channel.HOTLINE: 42,
    Channel.ONLINE: 8,
    Channel.VISIT: 5,
    Channel.LETTER: 2,
}
CATEGORY_WEIGHTS = {
    Category.QUALITY: 24,
    Category.PRICE: 18,
    Category.SERVICE: 16,
    Category.AFTER_SALES: 14,
    Category.CONTRACT: 10,
    Category.FALSE_ADVERTISING: 7,
    Category.OTHER: 6,
    Category.SAFETY: 5,
}
GOODS_SHARE = {
    Category.QUALITY: 0.85,
    Category.SAFETY: 0.8,
    Category.AFTER_SALES: 0.75,
    Category.FALSE_ADVERTISING: 0.6,
    Category.PRICE: 0.45,
    Category.OTHER: 0.4,
    Category.CONTRACT: 0.25,
    Category.SERVICE: 0.1,
}
# Complaints follow the tourist season and the holidays: summer by the sea, Golden Week, Spring
# Festival, and the 15 March consumer-rights day.
MONTH_WEIGHTS = {
    1: 1.0,
    2: 1.1,
    3: 1.1,
    4: 0.85,
    5: 1.1,
    6: 0.95,
    7: 1.45,
    8: 1.55,
    9: 1.0,
    10: 1.35,
    11: 0.75,
    12: 0.8,
}
OUTCOME_WEIGHTS = {
    Outcome.MEDIATED: 66,
    Outcome.FAILED: 12,
    Outcome.WITHDRAWN: 10,
    Outcome.TERMINATED: 7,
    Outcome.TRANSFERRED: 5,
}
REFUSAL_SHARE = 0.06
REFUSALS = (
    (RefusalGround.NOT_OUR_DUTY, "属于劳动争议，不属于市场监督管理部门职责范围。", 30),
    (RefusalGround.HANDLED_ELSEWHERE, "同一纠纷已由人民法院受理。", 15),
    (RefusalGround.NO_CONSUMER_DISPUTE, "为生产经营目的购买，不属于生活消费。", 20),
    (RefusalGround.TOO_LATE, "自知道权益受损之日起已超过三年。", 5),
    (RefusalGround.MATERIALS_MISSING, "未提供被投诉人具体信息，经告知后仍未补正。", 30),
)
TERMINATIONS = (
    (TerminationGround.NO_AGREEMENT_POSSIBLE, 40),
    (TerminationGround.ABSENT, 30),
    (TerminationGround.NO_TESTING_AGREEMENT, 15),
    (TerminationGround.SETTLED, 10),
    (TerminationGround.OTHER, 5),
)
TRANSFER_TARGETS = (
    "旅顺口区文化和旅游局",
    "旅顺口区交通运输局",
    "旅顺口区卫生健康局",
    "旅顺口区教育局",
    "大连市旅顺口区人民法院诉调对接中心",
)
SATISFACTION_WEIGHTS = {
    Satisfaction.SATISFIED: 68,
    Satisfaction.BASICALLY: 22,
    Satisfaction.DISSATISFIED: 7,
    Satisfaction.NO_ANSWER: 3,
}
CALLBACK_SHARE = 0.85
ODR_REPLIES = {
    OdrResponse.PROPOSAL: "同意为消费者退还部分款项，已电话联系消费者协商具体金额。",
    OdrResponse.SETTLED: "已与消费者协商一致，全额退款并致歉。",
    OdrResponse.DISPUTED: "商品系消费者使用不当所致，不同意退换，请求市场监管部门调解。",
}
REPORT_REASONS_OPEN = ("经核查，被举报人存在未明码标价行为，予以立案调查。",)
REPORT_REASONS_CLOSED = (
    "经现场核查，未发现举报所称违法行为，不予立案。",
    "违法事实不清，证据不足，不予立案。",
    "违法行为轻微并及时改正，没有造成危害后果，不予立案。",
)
ITEMS = {
    True: ("羽绒服", "电热水壶", "手机", "海参礼盒", "大樱桃", "运动鞋", "儿童玩具", "空调"),
    False: ("海鲜餐", "住宿", "美容卡", "培训课程", "汽车保养", "家政服务", "游船票", "洗浴卡"),
}
REQUEST_TEXTS = {
    Category.QUALITY: "购买的{item}使用不久即出现质量问题，商家拒绝退换，要求退货退款。",
    Category.SAFETY: "购买的{item}存在安全隐患，使用时险些造成伤害，要求退款并赔偿。",
    Category.PRICE: "消费{item}时结账价格与标价不符，多收费用，要求退还差价。",
    Category.SERVICE: "在{item}消费过程中服务人员态度恶劣，要求商家道歉并退还部分费用。",
    Category.CONTRACT: "预付{item}费用后商家不按约定履行，要求解除合同退还余款。",
    Category.FALSE_ADVERTISING: "商家宣传的{item}效果与实际严重不符，涉嫌虚假宣传，要求退款。",
    Category.AFTER_SALES: "{item}出现故障后商家拖延维修、不履行三包义务，要求维修或更换。",
    Category.OTHER: "在购买{item}时遇到纠纷，与商家协商未果，请求调解。",
}
REPORT_TEXTS = (
    "举报该商户商品未明码标价。",
    "举报该店销售过期食品。",
    "举报该商户使用未经检定的计量器具。",
    "举报该经营者发布虚假广告。",
)


# What the first complaints of every run are, so even a small run (tests) has every state.
# (kind, state, working days ago received)
SCENARIOS: tuple[tuple[str, str, int], ...] = (
    (Kind.COMPLAINT, "registered", 1),
    (Kind.COMPLAINT, "registered_overdue", 10),
    (Kind.COMPLAINT, "accepted", 4),
    (Kind.COMPLAINT, "mediating", 20),
    (Kind.COMPLAINT, "mediating_overdue", 60),
    (Kind.COMPLAINT, "odr", 3),
    (Kind.COMPLAINT, "odr_responded", 15),
    (Kind.COMPLAINT, "odr_escalated", 25),
    (Kind.COMPLAINT, Outcome.MEDIATED, 40),
    (Kind.COMPLAINT, Outcome.FAILED, 45),
    (Kind.COMPLAINT, Outcome.TERMINATED, 50),
    (Kind.COMPLAINT, Outcome.WITHDRAWN, 35),
    (Kind.COMPLAINT, Outcome.TRANSFERRED, 30),
    (Kind.COMPLAINT, "refused", 20),
    (Kind.REPORT, "registered", 1),
    (Kind.REPORT, "verifying", 6),
    (Kind.REPORT, "case_opened", 40),
    (Kind.REPORT, "not_opened", 30),
)
OPEN_ODR_STATES = ("odr", "odr_responded", "odr_escalated")


# The timeline note of a callback, as ``complaint_record_satisfaction`` writes it (the label).
SATISFACTION_LABELS = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
    Satisfaction.NO_ANSWER: "未评价",
}
