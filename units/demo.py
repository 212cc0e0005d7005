"""Synthetic units for ``seed_demo``: the register, commitments, 12315 stations and applications.

Everything random comes from the ``rng`` the seeder protocol hands in (``lyushunkou.demo``), so a
seed always gives the same units, names, credit codes and public ids. Dates are relative to the
day of seeding, because a certificate must be valid (or expired) *today*; they never change how
many numbers are drawn from ``rng``, so only the dates move from one day to the next.

The planner (``UnitPlanner``) builds unsaved model instances batch by batch and never queries the
database; ``seed_units`` looks up what it needs once, saves each batch with ``bulk_create`` and
throws it away, so memory stays flat even at province scale (5 M units).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from lyushunkou import audit
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, Role, User
from units.credit_codes import entity_kind_for
from units.demo_status import LAPSES, apply_lapse
from units.models import (
    ApplicationEvent,
    ApplicationStatus,
    BusinessStatus,
    CertificateCounter,
    Commitment,
    DemonstrationApplication,
    DemonstrationBlock,
    DemonstrationIndustry,
    DemonstrationStatus,
    EvidenceFile,
    Industry,
    ServiceStation,
    Unit,
)
from units.models_notice import PublicNotice
from units.search import fill_name_bigrams
from units.services import CERTIFICATE_VALIDITY_DAYS

S = ApplicationStatus

SIZES = {"district": 50_000, "city": 1_000_000, "province": 5_000_000}
BATCH_SIZE = 5_000
# Applications per unit: "a few hundred" at district scale (~400 of 50,000), at least a few dozen
# when a test asks for a few hundred units so that every state shows up.
APPLICATION_RATE = 0.015
MIN_APPLICATIONS = 40
PUBLIC_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

DENGFENG = "210212001000"
# The urban streets hold most shops and restaurants; the rural ones and the park far fewer.
JURISDICTION_WEIGHTS = {
    DENGFENG: 18,  # 登峰街道
    "210212003000": 15,  # 得胜街道
    "210212005000": 14,  # 水师营街道
    "210212402000": 3,  # 龙头分园
}
DEFAULT_JURISDICTION_WEIGHT = 6
# Approximate centres (latitude, longitude) for plausible map pins; others use the district's.
CENTRES = {
    "210212001000": (38.812, 121.262),
    "210212003000": (38.826, 121.238),
    "210212005000": (38.852, 121.281),
    "210212006000": (38.842, 121.386),
    "210212007000": (38.762, 121.178),
    "210212009000": (38.884, 121.155),
    "210212010000": (38.893, 121.283),
    "210212011000": (38.928, 121.222),
    "210212012000": (38.882, 121.352),
    "210212014000": (38.906, 121.178),
    "210212402000": (38.868, 121.371),
}
DISTRICT_CENTRE = (38.85, 121.26)

INDUSTRY_WEIGHTS = {
    Industry.RETAIL: 30,
    Industry.CATERING: 24,
    Industry.LIFE_SERVICES: 12,
    Industry.OTHER: 8,
    Industry.LODGING: 6,
    Industry.AUTO: 5,
    Industry.EDUCATION: 4,
    Industry.MALL: 4,
    Industry.PHARMACY: 3,
    Industry.FARMERS_MARKET: 1.5,
    Industry.SCENIC_SPOT: 0.8,
}
# Entity type (second character of the credit code): individual businesses, enterprises, a few
# farmers' cooperatives.
ENTITY_TYPES = ("2", "1", "3")
ENTITY_WEIGHTS = (70, 28, 2)
BUSINESS_STATUSES = (
    BusinessStatus.OPERATING,
    BusinessStatus.SUSPENDED,
    BusinessStatus.DEREGISTERED,
)
BUSINESS_STATUS_WEIGHTS = (90, 6, 4)

BRAND_WORDS = (
    "旅顺", "老街", "港湾", "渔家", "鑫源", "福满", "聚贤", "顺发", "金海", "海韵", "盛达", "兴隆",
    "百姓", "万家", "宏达", "永和", "佳佳", "新世纪", "博海", "东方", "蓝湾", "白玉山", "黄金山",
    "老铁山", "太阳沟", "水师营", "龙王塘", "樱花", "军港", "海之韵", "渤海", "双岛", "龙河",
    "顺心", "好运来", "金凤", "福瑞", "康乐", "和顺", "利民", "惠民", "华联", "富强", "明珠",
    "天成", "瑞丰", "鸿运", "嘉禾", "金港", "海纳", "北海", "南山", "友谊", "红旗", "玉兰", "海星",
    "晨光", "阳光", "四季", "家和", "正阳", "德顺", "永盛", "恒达", "春晖", "大樱桃", "海宴",
    "渔港", "星海", "金穗", "鼎盛", "同福", "益民", "乐购", "优品", "锦绣", "长青", "松涛",
)  # fmt: skip
SHOP_SUFFIXES: dict[str, tuple[str, ...]] = {
    Industry.RETAIL: (
        "便利店", "超市", "日用百货店", "烟酒店", "服装店", "水果店", "五金店", "副食商店",
        "母婴用品店", "家电商行", "鞋店", "眼镜店", "手机店", "茶叶店", "海产品商店", "粮油店",
    ),
    Industry.CATERING: (
        "海鲜馆", "饭店", "渔家菜馆", "饺子馆", "烧烤店", "面馆", "快餐店", "火锅店", "小吃部",
        "餐馆", "包子铺", "奶茶店", "咖啡馆", "酒家",
    ),
    Industry.LODGING: ("宾馆", "旅馆", "酒店", "民宿", "渔家乐", "客栈", "快捷酒店"),
    Industry.SCENIC_SPOT: ("采摘园", "观光园", "游乐园", "垂钓园", "生态园"),
    Industry.FARMERS_MARKET: ("农贸市场", "早市", "海鲜市场", "菜市场"),
    Industry.MALL: ("超市", "购物广场", "商场", "生鲜超市", "量贩店"),
    Industry.LIFE_SERVICES: (
        "美发店", "美容院", "洗浴中心", "家政服务部", "家电维修部", "干洗店", "足疗店",
        "摄影工作室", "开锁服务部", "养生馆",
    ),
    Industry.EDUCATION: ("培训学校", "艺术培训中心", "英语培训中心", "书法培训班", "舞蹈学校"),
    Industry.AUTO: (
        "汽车维修中心", "汽车修理厂", "汽车美容店", "轮胎店", "二手车行", "汽车销售服务店",
    ),
    Industry.PHARMACY: ("药房", "大药房", "药店", "医药超市"),
    Industry.OTHER: ("彩票店", "打印社", "花店", "宠物店", "文具店", "通讯营业厅", "快递服务点"),
}  # fmt: skip
COMPANY_KINDS: dict[str, tuple[str, ...]] = {
    Industry.RETAIL: ("商贸", "贸易", "商业连锁", "食品销售"),
    Industry.CATERING: ("餐饮管理", "餐饮", "海鲜酒家"),
    Industry.LODGING: ("酒店管理", "宾馆", "度假村"),
    Industry.SCENIC_SPOT: ("旅游开发", "文化旅游", "旅游景区管理"),
    Industry.FARMERS_MARKET: ("市场管理", "农产品市场"),
    Industry.MALL: ("商业管理", "超市连锁", "购物中心"),
    Industry.LIFE_SERVICES: ("生活服务", "家政服务", "洗浴", "美容美发"),
    Industry.EDUCATION: ("教育咨询", "教育科技", "文化艺术培训"),
    Industry.AUTO: ("汽车销售服务", "汽车服务", "汽车维修"),
    Industry.PHARMACY: ("医药连锁", "大药房连锁", "医药"),
    Industry.OTHER: ("科技", "文化传媒", "网络科技", "信息咨询"),
}
# A cooperative's business decides its industry: (what it does, industry).
COOPERATIVE_LINES = (
    ("樱桃种植", Industry.RETAIL),
    ("苹果种植", Industry.RETAIL),
    ("葡萄种植", Industry.RETAIL),
    ("蔬菜种植", Industry.FARMERS_MARKET),
    ("海产品", Industry.FARMERS_MARKET),
    ("渔家乐", Industry.CATERING),
    ("乡村旅游", Industry.LODGING),
    ("采摘观光", Industry.SCENIC_SPOT),
    ("海参养殖", Industry.OTHER),
    ("农机服务", Industry.OTHER),
)
ROADS = (
    "黄河路", "长江路", "友谊路", "五一路", "井冈山路", "大连路", "新华大街", "斯大林路", "顺乐街",
    "得胜路", "龙河路", "旅顺南路", "旅顺中路", "旅顺北路", "滨港路", "黄海路", "世纪街", "迎春路",
    "光荣街", "和平街", "白玉街", "登峰路", "军港路", "营城路", "北海路", "铁山路", "双岛湾路",
    "龙头路", "江西路", "三涧堡路", "长城路", "龙王塘路", "海港路", "文化街", "樱花大道",
)  # fmt: skip
# Common surnames in Dalian, including the Jiaodong ones (于, 姜, 曲, 宫, 隋, 丛).
SURNAMES = (
    "王", "李", "张", "刘", "于", "孙", "姜", "赵", "陈", "杨", "曲", "宫", "隋", "丛", "高", "徐",
    "马", "林", "郭", "周", "吴", "韩", "董", "邹", "宋", "唐", "冯", "梁", "谭", "毕", "邢", "郑",
)  # fmt: skip
SURNAME_WEIGHTS = (
    12, 11, 10, 9, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 3, 3,
    2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1,
)  # fmt: skip
GIVEN_NAMES = (
    "建国", "秀英", "桂兰", "海燕", "丽", "伟", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "红", "玉兰", "凤", "华", "鹏", "宇",
    "浩", "博", "欣", "婷", "雪", "志强", "海波", "春梅", "晓东", "丽娜", "振华", "国庆", "淑珍",
    "玉梅", "德福", "永刚", "文静", "子涵", "梓轩", "一鸣", "海涛", "金凤", "立新", "红梅",
)  # fmt: skip
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "183", "185",
    "186", "187", "188", "189", "198", "199",
)  # fmt: skip
STATION_HOURS = ("08:30-17:00", "09:00-21:00", "08:00-18:00", "10:00-22:00", "全天")
STATION_LOCATIONS = ("一楼服务台", "收银台旁", "前台", "店内顾客休息区", "市场管理办公室")

COMMITMENT_TEXTS: dict[str, str] = {
    Commitment.Kind.FIRST_ASK: (
        "消费者的咨询、投诉由首位接待的员工负责受理、答复或引导办理，不推诿、不拖延。"
    ),
    Commitment.Kind.ADVANCE_COMPENSATION: (
        "消费者因在本单位购买商品或接受服务合法权益受到损害的，由本单位先行赔付，"
        "再依法向有关责任方追偿。"
    ),
    Commitment.Kind.PURCHASE_INSPECTION: (
        "严格执行进货查验和索证索票制度，建立进货台账，确保商品来源可追溯。"
    ),
    Commitment.Kind.NO_REASON_RETURN: (
        "在本单位购买的商品，自购买之日起{days}日内，在不影响二次销售的前提下，"
        "凭购物凭证可无理由退货。"
    ),
    Commitment.Kind.PUBLIC_SERVICE: (
        "明码标价，诚信经营，不欺客宰客，不虚假宣传，主动接受社会监督。"
    ),
}
RETURN_SCOPES = (
    "除食品、药品、贴身衣物及定制商品外的全部商品",
    "全部商品（鲜活易腐商品除外）",
    "服装、鞋帽、日用百货类商品",
    "家用电器及数码产品（未拆封）",
)
# Return without reason is for shops selling goods; a restaurant or a barber cannot take it back.
RETURN_INDUSTRIES = frozenset(
    {Industry.RETAIL, Industry.MALL, Industry.PHARMACY, Industry.AUTO, Industry.OTHER}
)
COMMITMENT_KINDS: tuple[str, ...] = tuple(Commitment.Kind)
# The four systems the demonstration-unit standard asks staff to verify (units.standard).
STANDARD_SYSTEMS = (
    Commitment.Kind.FIRST_ASK,
    Commitment.Kind.ADVANCE_COMPENSATION,
    Commitment.Kind.PURCHASE_INSPECTION,
    Commitment.Kind.NO_REASON_RETURN,
)
VERIFICATION_NOTE = "现场核查时查阅制度文本、公示照片和台账，制度落实。"
# One small file stands for every demo unit's evidence: seeding writes it once, not per unit.
DEMO_EVIDENCE_NAME = "evidence/demo/self-discipline-system.pdf"
DEMO_EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

STATEMENT = (
    "本单位已落实首问负责、先行赔付、进货查验等自律承诺，公开服务承诺并明码标价，"
    "近一年无经查实的消费投诉，申请认定为放心消费示范单位。相关台账和照片见附件。"
)
RETURN_REASONS = (
    "自评材料不完整，请补充进货查验台账照片。",
    "承诺内容与实际经营范围不符，请修改后重新提交。",
)
REJECT_REASONS = (
    "现场核查发现未落实明码标价，不符合示范单位条件。",
    "近一年内存在经查实的消费投诉，暂不予认定。",
    "经营场所与登记地址不一致。",
    "未建立进货查验台账。",
)
ONSITE_NOTES = ("材料齐全，安排现场核查。", "材料审核通过。")
APPROVE_NOTE = "现场核查合格，予以认定。"
REVOKE_REASONS = (
    "经查实存在价格欺诈行为，撤销放心消费示范单位称号。",
    "预警期内未完成整改，撤销放心消费示范单位称号。",
)

# What happens to an application (and its unit): the workflow state plus, for approved ones, what
# became of the certificate afterwards.
OUTCOMES = (
    "draft",
    "submitted",
    "under_review",
    "onsite_check",
    "rejected",
    "approved",
    "warning",
    "revoked",
    "expired",
)
OUTCOME_WEIGHTS = (12, 10, 8, 8, 10, 40, 4, 3, 5)
DEMO_BLOCKS = (
    ("旅顺太阳沟历史文化街区", DemonstrationBlock.Kind.SCENIC_SPOT, DENGFENG),
    ("旅顺老街商圈", DemonstrationBlock.Kind.BUSINESS_CIRCLE, DENGFENG),
    ("得胜商业步行街", DemonstrationBlock.Kind.STREET, "210212003000"),
    ("水师营商圈", DemonstrationBlock.Kind.BUSINESS_CIRCLE, "210212005000"),
    ("老铁山风景区", DemonstrationBlock.Kind.SCENIC_SPOT, "210212007000"),
)


@dataclass(frozen=True)
class Place:
    """A jurisdiction as the planner needs it: no queries while planning."""

    id: int
    code: str
    name: str


@dataclass
class PlannedEvent:
    from_status: str
    to_status: str
    by_applicant: bool  # else by the reviewing staff member
    at: dt.datetime
    reason: str = ""


@dataclass
class PlannedApplication:
    application: DemonstrationApplication
    events: list[PlannedEvent]
    lapse: str = ""  # for a unit in warning: which criterion lapsed (units.demo_status)
    notice: tuple[dt.date, dt.date] | None = None  # first and last day of a running notice


@dataclass
class Batch:
    units: list[Unit] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    stations: list[ServiceStation] = field(default_factory=list)
    applications: list[PlannedApplication] = field(default_factory=list)


class UnitPlanner:
    """Builds unsaved units and what hangs off them, batch by batch, from ``rng`` alone.

    The first four units are the demo operators' (all in 登峰街道): ``operator`` has an approved
    unit and a draft application, ``operator2`` a submitted application and a unit with none.
    ``seed_units`` sets their owners when those accounts exist.
    """

    SHOWCASE = ("approved", "draft", "submitted", None)
    SHOWCASE_OWNERS = ("operator", "operator", "operator2", "operator2")
    SHOWCASE_INDUSTRIES = (Industry.CATERING, Industry.RETAIL, Industry.CATERING, Industry.RETAIL)

    def __init__(
        self,
        rng: random.Random,
        *,
        count: int,
        places: Sequence[Place],
        today: dt.date,
        blocks: dict[int, list[int]] | None = None,
        taken_codes: set[str] | None = None,
        certificate_counters: dict[int, int] | None = None,
    ) -> None:
        self.rng = rng
        self.count = count
        self.places = list(places)
        self.place_weights = [
            JURISDICTION_WEIGHTS.get(place.code, DEFAULT_JURISDICTION_WEIGHT)
            for place in self.places
        ]
        self.dengfeng = next((p for p in self.places if p.code == DENGFENG), self.places[0])
        self.today = today
        self.blocks = blocks or {}
        self.codes = set(taken_codes or ())
        self.certificate_counters = dict(certificate_counters or {})
        self.application_rate = min(1.0, max(APPLICATION_RATE, MIN_APPLICATIONS / max(count, 1)))
        self.applications_planned = 0
        self.onsite_planned = 0  # on-site check outcomes so far: every second one is in notice
        self.tz = timezone.get_default_timezone()
        self.industries = list(INDUSTRY_WEIGHTS)
        self.industry_weights = list(INDUSTRY_WEIGHTS.values())
        self.coverage_end = len(self.SHOWCASE) + max(len(self.places), len(self.industries))

    # --- small generators -------------------------------------------------------------------

    def person(self) -> str:
        rng = self.rng
        return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + rng.choice(GIVEN_NAMES)

    def phone(self, *, mobile_share: float = 0.85) -> str:
        rng = self.rng
        if rng.random() < mobile_share:
            return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
        return f"0411-86{rng.randrange(1_000_000):06d}"  # Lyushunkou's landlines start 86

    def public_id(self) -> str:
        return "".join(self.rng.choices(PUBLIC_ID_ALPHABET, k=12))

    def credit_code(self, entity_type: str) -> str:
        while True:
            code = generate_credit_code(self.rng, entity_type=entity_type)
            if code not in self.codes:  # ~1 collision in 3·10⁹ pairs: rare, but not at 5 M
                self.codes.add(code)
                return code

    def name(self, entity_type: str, industry: str, road: str, line: str) -> str:
        rng = self.rng
        word = rng.choice(BRAND_WORDS)
        if entity_type == "3":
            return f"旅顺口区{word}{line}专业合作社"
        if entity_type == "1":
            company = f"大连{word}{rng.choice(COMPANY_KINDS[industry])}有限公司"
            return company if rng.random() < 0.7 else f"{company}旅顺{road}分店"
        suffix = rng.choice(SHOP_SUFFIXES[industry])
        pattern = rng.random()
        if pattern < 0.5:
            return f"{word}{suffix}"
        if pattern < 0.75:
            return f"旅顺口区{word}{suffix}"
        if pattern < 0.85:
            return f"{rng.choice(SURNAMES)}记{suffix}"
        return f"{word}{suffix}（{road}店）"

    def at(self, day: dt.date) -> dt.datetime:
        """A moment during office hours on ``day``."""
        rng = self.rng
        return dt.datetime.combine(
            day, dt.time(rng.randrange(8, 17), rng.randrange(60), rng.randrange(60)), self.tz
        )

    # --- units ------------------------------------------------------------------------------

    def batches(self, size: int = BATCH_SIZE) -> Iterator[Batch]:
        batch = Batch()
        for index in range(self.count):
            self.add_unit(batch, index)
            if len(batch.units) >= size:
                yield batch
                batch = Batch()
        if batch.units:
            yield batch

    def add_unit(self, batch: Batch, index: int) -> None:
        rng = self.rng
        entity_type = rng.choices(ENTITY_TYPES, ENTITY_WEIGHTS)[0]
        if entity_type == "3":
            line, industry = rng.choice(COOPERATIVE_LINES)
        else:
            line, industry = "", rng.choices(self.industries, self.industry_weights)[0]
        place = rng.choices(self.places, self.place_weights)[0]
        business_status = rng.choices(BUSINESS_STATUSES, BUSINESS_STATUS_WEIGHTS)[0]
        showcase = index < len(self.SHOWCASE)
        if showcase:
            # Something to show in the operators' workspace: open restaurants and shops in 登峰.
            place = self.dengfeng
            business_status = BusinessStatus.OPERATING
            entity_type, industry = "2", self.SHOWCASE_INDUSTRIES[index]
        elif index < self.coverage_end:
            # The next few units go round every street and industry once, so that even a small
            # register (in tests) has them all; the weighted draws take over after that.
            k = index - len(self.SHOWCASE)
            place = self.places[k % len(self.places)]
            industry = self.industries[k % len(self.industries)]
            if entity_type == "3":
                entity_type = "2"
        road = rng.choice(ROADS)
        code = self.credit_code(entity_type)
        legal_representative = self.person()
        contact_person = legal_representative if rng.random() < 0.6 else self.person()
        lat, lon = CENTRES.get(place.code, DISTRICT_CENTRE)
        has_pin = rng.random() < 0.7
        lat += rng.uniform(-0.012, 0.012)
        lon += rng.uniform(-0.015, 0.015)
        block_pick = rng.random()
        block_id = None
        blocks = self.blocks.get(place.id)
        if blocks and block_pick < 0.05:  # 5% of a street's units; the same draw picks the block
            block_id = blocks[int(block_pick * 20 * len(blocks))]
        unit = Unit(
            name=self.name(entity_type, industry, road, line),
            credit_code=code,
            kind=entity_kind_for(code),
            industry=industry,
            address=f"辽宁省大连市旅顺口区{place.name}{road}{rng.randint(1, 399)}号",
            jurisdiction_id=place.id,
            latitude=Decimal(f"{lat:.6f}") if has_pin else None,
            longitude=Decimal(f"{lon:.6f}") if has_pin else None,
            legal_representative=legal_representative,
            contact_person=contact_person,
            contact_phone=self.phone(),
            business_status=business_status,
            block_id=block_id,
            public_id=self.public_id(),
        )
        batch.units.append(unit)

        operating = business_status == BusinessStatus.OPERATING
        committed = rng.random() < (0.65 if operating else 0.2)  # ~60% overall
        kinds = self.commitment_kinds(industry)
        unit_commitments: list[Commitment] = []
        if committed or showcase:
            unit_commitments = self.commitments(unit, kinds)
            batch.commitments.extend(unit_commitments)
        stationed = rng.random() < (0.32 if operating else 0.1)  # ~30% overall
        has_station = bool(stationed or (showcase and index == 0))
        if has_station:
            batch.stations.append(self.station(unit, contact_person))

        outcome: str | None = None
        if showcase:
            outcome = self.SHOWCASE[index]
        elif operating and committed and rng.random() < self.application_rate:
            # Cycle through every outcome first, so even a small register shows each of them.
            n = self.applications_planned
            outcome = (
                OUTCOMES[n] if n < len(OUTCOMES) else rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
            )
            if outcome == "onsite_check":
                # Every second one has been approved since and is in public notice (公示).
                self.onsite_planned += 1
                outcome = "notice" if self.onsite_planned % 2 == 0 else outcome
        if outcome is not None:
            self.applications_planned += not showcase
            planned = self.application(unit, outcome)
            batch.applications.append(planned)
            if unit.demonstration_status != DemonstrationStatus.NONE or planned.notice:
                self.meet_standard(batch, unit, unit_commitments, has_station, contact_person)
            if planned.lapse:
                apply_lapse(
                    unit,
                    planned.lapse,
                    commitments=batch.commitments,
                    stations=batch.stations,
                    today=self.today,
                )

    def commitment_kinds(self, industry: str) -> list[str]:
        rng = self.rng
        kinds = [
            kind
            for kind in COMMITMENT_KINDS
            if rng.random() < 0.7
            and (kind != Commitment.Kind.NO_REASON_RETURN or industry in RETURN_INDUSTRIES)
        ]
        return kinds or [Commitment.Kind.FIRST_ASK]

    def commitments(self, unit: Unit, kinds: list[str]) -> list[Commitment]:
        rng = self.rng
        committed_on = self.today - dt.timedelta(days=rng.randrange(30, 900))
        result = []
        for kind in kinds:
            days = 7 if rng.random() < 0.9 else 15
            is_return = kind == Commitment.Kind.NO_REASON_RETURN
            result.append(
                Commitment(
                    unit=unit,
                    kind=kind,
                    content=COMMITMENT_TEXTS[kind].format(days=days),
                    return_scope=rng.choice(RETURN_SCOPES) if is_return else "",
                    return_days=days if is_return else None,
                    committed_on=committed_on,
                )
            )
        return result

    def station(self, unit: Unit, contact_person: str) -> ServiceStation:
        rng = self.rng
        return ServiceStation(
            unit=unit,
            contact_person=contact_person,
            phone=self.phone(mobile_share=0.6),
            hours=rng.choice(STATION_HOURS),
            location=rng.choice(STATION_LOCATIONS),
            registered_on=self.today - dt.timedelta(days=rng.randrange(30, 900)),
        )

    def meet_standard(
        self,
        batch: Batch,
        unit: Unit,
        commitments: list[Commitment],
        has_station: bool,
        contact_person: str,
    ) -> None:
        """A unit approved as a demonstration unit met the standard then (units.standard): a
        12315 station with a named person and the four self-discipline systems, verified by
        staff during the on-site check before approval (``_save`` names the staff member and
        attaches the evidence file). Nothing here draws from ``rng``, so the rest of the
        register is planned exactly as without it."""
        approved_on = unit.certified_from or self.today
        verified_on = approved_on - dt.timedelta(days=3)
        have = {commitment.kind for commitment in commitments}
        for kind in STANDARD_SYSTEMS:
            if kind not in have:
                is_return = kind == Commitment.Kind.NO_REASON_RETURN
                commitment = Commitment(
                    unit=unit,
                    kind=kind,
                    content=COMMITMENT_TEXTS[kind].format(days=7),
                    return_scope=RETURN_SCOPES[0] if is_return else "",
                    return_days=7 if is_return else None,
                    committed_on=verified_on,
                )
                commitments.append(commitment)
                batch.commitments.append(commitment)
        for commitment in commitments:
            if commitment.kind not in STANDARD_SYSTEMS:
                continue
            if commitment.committed_on > verified_on:  # declared before it was verified
                commitment.committed_on = verified_on - dt.timedelta(days=30)
            commitment.verified_at = dt.datetime.combine(verified_on, dt.time(10), self.tz)
            commitment.verification_note = VERIFICATION_NOTE
        if not has_station:
            # A landline derived from the public id: no draw, and never the operator's own phone.
            number = zlib.crc32(unit.public_id.encode()) % 1_000_000
            batch.stations.append(
                ServiceStation(
                    unit=unit,
                    contact_person=contact_person,
                    phone=f"0411-86{number:06d}",
                    hours=STATION_HOURS[0],
                    location=STATION_LOCATIONS[0],
                    registered_on=verified_on - dt.timedelta(days=30),
                )
            )

    # --- applications -----------------------------------------------------------------------

    def application(self, unit: Unit, outcome: str) -> PlannedApplication:
        """An application whose history leads to ``outcome``, dated backwards from its last step."""
        rng = self.rng
        if outcome in ("approved", "warning", "revoked"):
            # Decided 10–330 days ago: the one-year certificate is still running today.
            last_day = self.today - dt.timedelta(days=rng.randrange(10, 330))
        elif outcome == "expired":
            last_day = self.today - dt.timedelta(days=rng.randrange(400, 700))
        elif outcome == "notice":
            # The on-site check a few days ago and approval the day after, so that the notice
            # still runs today. The same draws as an on-site check outcome: the rest of the plan
            # (and every other app's demo data) stays as it was.
            last_day = self.today - dt.timedelta(
                days=2 + rng.randrange(1, 60) % max(settings.NOTICE_DAYS - 1, 1)
            )
        else:
            last_day = self.today - dt.timedelta(days=rng.randrange(1, 60))
        steps: list[tuple[str, str, bool, str]] = [("", S.DRAFT, True, "")]
        if outcome == "draft":
            if rng.random() < 0.3:  # returned for changes once
                reason = rng.choice(RETURN_REASONS)
                steps += [(S.DRAFT, S.SUBMITTED, True, ""), (S.SUBMITTED, S.DRAFT, False, reason)]
        else:
            steps.append((S.DRAFT, S.SUBMITTED, True, ""))
        path = [S.UNDER_REVIEW, S.ONSITE_CHECK]
        if outcome == "under_review":
            path = path[:1]
        elif outcome in ("draft", "submitted"):
            path = []
        elif outcome == "rejected":
            path = path[: rng.randrange(3)]
        notes = {S.UNDER_REVIEW: "", S.ONSITE_CHECK: rng.choice(ONSITE_NOTES)}
        for target in path:
            steps.append((steps[-1][1], target, False, notes[target]))
        if outcome == "rejected":
            steps.append((steps[-1][1], S.REJECTED, False, rng.choice(REJECT_REASONS)))
        elif outcome in ("approved", "warning", "revoked", "expired"):
            steps.append((S.ONSITE_CHECK, S.APPROVED, False, APPROVE_NOTE))

        # Walk back from the last step: a few days between steps, office hours each time.
        days = [last_day]
        for _ in steps[1:]:
            days.append(days[-1] - dt.timedelta(days=rng.randrange(1, 8)))
        days.reverse()
        events = [
            PlannedEvent(source, target, by_applicant, self.at(day), reason)
            for (source, target, by_applicant, reason), day in zip(steps, days, strict=True)
        ]
        if outcome == "notice":  # approved a day after the on-site check, with no draw
            last_day += dt.timedelta(days=1)
            at = events[-1].at + dt.timedelta(days=1)
            events.append(PlannedEvent(S.ONSITE_CHECK, S.NOTICE, False, at, APPROVE_NOTE))
        status = events[-1].to_status
        submitted = [e.at for e in events if e.to_status == S.SUBMITTED]
        staff_note = next((e.reason for e in reversed(events) if not e.by_applicant), "")
        application = DemonstrationApplication(
            unit=unit,
            year=last_day.year,
            status=status,
            statement=STATEMENT,
            commitments_confirmed=status != S.DRAFT or rng.random() < 0.5,
            staff_note=staff_note if status in (S.DRAFT, S.REJECTED) else "",
            submitted_at=submitted[-1] if submitted else None,
            decided_at=events[-1].at if status in (S.APPROVED, S.REJECTED, S.NOTICE) else None,
            version=len(events),
            created_at=events[0].at,
            updated_at=events[-1].at,
        )
        if status == S.APPROVED:
            year = application.year
            self.certificate_counters[year] = self.certificate_counters.get(year, 0) + 1
            number = f"LSK-FXXF-{year}-{self.certificate_counters[year]:05d}"
            valid_until = last_day + dt.timedelta(days=CERTIFICATE_VALIDITY_DAYS - 1)
            application.certificate_no = number
            application.valid_from = last_day
            application.valid_until = valid_until
            unit.certificate_no = number
            unit.certified_from = last_day
            unit.certified_until = valid_until
            unit.demonstration_status = DemonstrationStatus.APPROVED
            unit.version += 1
            lapse = ""
            if outcome == "warning":
                # The same single draw as a reason text took before: the plan stays the same.
                lapse = rng.choice(LAPSES)
            elif outcome == "revoked":
                unit.status_reason = rng.choice(REVOKE_REASONS)
            if outcome in ("warning", "revoked"):
                unit.demonstration_status = outcome
                unit.version += 1
            return PlannedApplication(application, events, lapse)
        if status == S.NOTICE:
            ends_on = last_day + dt.timedelta(days=settings.NOTICE_DAYS - 1)
            application.valid_from = ends_on + dt.timedelta(days=1)
            application.valid_until = ends_on + dt.timedelta(days=CERTIFICATE_VALIDITY_DAYS)
            return PlannedApplication(application, events, notice=(last_day, ends_on))
        return PlannedApplication(application, events)


# --- Saving ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _own_timestamps(*fields: models.Field[Any, Any]) -> Iterator[None]:
    """Let bulk_create keep the planned dates of ``auto_now``/``auto_now_add`` fields.

    Django overwrites such fields with now() on insert, which would give a year-long application
    history the same second; seeding is a one-off command, so switching them off briefly is safe.
    """
    saved = [(f, getattr(f, "auto_now", False), getattr(f, "auto_now_add", False)) for f in fields]
    try:
        for f, _now, _add in saved:
            f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add  # type: ignore[attr-defined]


def _places() -> list[Place]:
    return [
        Place(j.id, j.code, j.name)
        for j in Jurisdiction.objects.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    ]


def _demo_blocks(places: list[Place], year: int) -> dict[int, list[int]]:
    by_code = {place.code: place for place in places}
    blocks: dict[int, list[int]] = {}
    for name, kind, code in DEMO_BLOCKS:
        place = by_code.get(code)
        if place is None:
            continue
        block, _ = DemonstrationBlock.objects.get_or_create(
            name=name, defaults={"kind": kind, "jurisdiction_id": place.id, "year": year}
        )
        blocks.setdefault(place.id, []).append(block.pk)
    for industry in (Industry.CATERING, Industry.LODGING):
        DemonstrationIndustry.objects.get_or_create(
            industry=industry, year=year, defaults={"note": "放心消费示范行业（演示数据）"}
        )
    return blocks


def _reviewers() -> tuple[int | None, dict[int, int]]:
    """The district-wide reviewer (the demo ``staff`` account, else any district-wide staff
    member) and, per street, a street-scoped staff member where there is one."""
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("id")
    district = (
        staff.filter(username="staff", jurisdiction__isnull=True).first()
        or staff.filter(jurisdiction__isnull=True).first()
    )
    by_street: dict[int, int] = {}
    for user_id, jurisdiction_id in staff.filter(jurisdiction__isnull=False).values_list(
        "id", "jurisdiction_id"
    ):
        by_street.setdefault(jurisdiction_id, user_id)
    return (district.pk if district else None), by_street


def seed_units(*, rng: random.Random, scale: str, stdout: Any, count: int | None = None) -> None:
    """The ``units`` seeder (see ``lyushunkou.demo``); ``count`` overrides the scale in tests.

    Applications need a reviewing staff account. ``seed_demo`` creates one (``staff``) before the
    seeders run; called without any district-wide staff member, the register, commitments and
    stations are still seeded but applications and demonstration statuses are left out (and the
    output says so), rather than inventing an account.
    """
    total = count if count is not None else SIZES[scale]
    places = _places()
    if not places:
        stdout.write("units: no active streets to put units in; skipped")
        return
    # The credit code of the first planned unit marks a register seeded with this seed: plan it
    # on a copy of the stream, so the real run draws the same numbers.
    probe = random.Random()
    probe.setstate(rng.getstate())
    today = timezone.localdate()
    first = next(UnitPlanner(probe, count=1, places=places, today=today).batches()).units[0]
    if Unit.objects.filter(credit_code=first.credit_code).exists():
        stdout.write("units: demo units already seeded; nothing to do")
        return

    started = timezone.now()
    reviewer_id, street_reviewers = _reviewers()
    owners = dict(
        User.objects.filter(username__in=["operator", "operator2"]).values_list("username", "id")
    )
    showcase_owners = [owners.get(name) for name in UnitPlanner.SHOWCASE_OWNERS]
    if reviewer_id is None:
        stdout.write(
            "units: no district-wide staff account to review applications; "
            "seeding units without demonstration applications"
        )
    counters = dict(CertificateCounter.objects.values_list("year", "last"))
    if reviewer_id is not None:
        _write_demo_evidence()
    with transaction.atomic():
        blocks = _demo_blocks(places, today.year)
        planner = UnitPlanner(
            rng,
            count=total,
            places=places,
            today=today,
            blocks=blocks,
            taken_codes=set(Unit.objects.values_list("credit_code", flat=True)),
            certificate_counters=counters,
        )
        done = 0
        totals: dict[str, Any] = {"commitments": 0, "stations": 0, "applications": 0, "events": 0}
        for batch in planner.batches():
            if done == 0:
                for unit, owner_id in zip(batch.units, showcase_owners, strict=False):
                    unit.owner_id = owner_id
            if reviewer_id is None:
                for planned in batch.applications:
                    _strip_demonstration(planned.application.unit)
                batch.applications = []
            _save(batch, reviewer_id, street_reviewers)
            done += len(batch.units)
            totals["commitments"] += len(batch.commitments)
            totals["stations"] += len(batch.stations)
            totals["applications"] += len(batch.applications)
            totals["events"] += sum(len(p.events) for p in batch.applications)
            stdout.write(f"units: {done}/{total}")
        if reviewer_id is not None:
            for year, last in planner.certificate_counters.items():
                CertificateCounter.objects.update_or_create(year=year, defaults={"last": last})
        audit.record("demo.units_seeded", scale=scale, units=done, **totals)
    seconds = (timezone.now() - started).total_seconds()
    stdout.write(
        f"units: seeded {done} units, {totals['commitments']} commitments, "
        f"{totals['stations']} 12315 stations, {totals['applications']} applications "
        f"in {seconds:.1f} s"
    )


def _save_evidence(batch: Batch) -> None:
    """The evidence staff reviewed: one file per verified commitment, all pointing at the one
    demo document written by ``seed_units``."""
    files = []
    for commitment in batch.commitments:
        uploader = commitment.unit.owner_id or commitment.verified_by_id
        if commitment.verified_at is None or uploader is None:
            continue
        files.append(
            EvidenceFile(
                unit_id=commitment.unit_id,
                commitment=commitment,
                file=DEMO_EVIDENCE_NAME,
                original_name=f"{commitment.get_kind_display()}制度及台账.pdf",
                content_type="application/pdf",
                size=len(DEMO_EVIDENCE),
                uploaded_by_id=uploader,
            )
        )
    EvidenceFile.objects.bulk_create(files)


def _write_demo_evidence() -> None:
    if not default_storage.exists(DEMO_EVIDENCE_NAME):
        default_storage.save(DEMO_EVIDENCE_NAME, ContentFile(DEMO_EVIDENCE))


def _strip_demonstration(unit: Unit) -> None:
    unit.demonstration_status = DemonstrationStatus.NONE
    unit.status_reason = unit.certificate_no = ""
    unit.certified_from = unit.certified_until = unit.rectify_by = None
    unit.warning_automatic = False
    unit.version = 1


def _save(batch: Batch, reviewer_id: int | None, street_reviewers: dict[int, int]) -> None:
    fill_name_bigrams(batch.units)  # bulk_create skips Unit.save, which keeps them otherwise
    Unit.objects.bulk_create(batch.units)  # sets the primary keys (RETURNING) for what follows
    for commitment in batch.commitments:
        if commitment.verified_at is None:
            continue
        if reviewer_id is None:  # no staff to have verified it: declared only
            commitment.verified_at, commitment.verification_note = None, ""
        else:
            jurisdiction = commitment.unit.jurisdiction_id
            commitment.verified_by_id = street_reviewers.get(jurisdiction, reviewer_id)
    Commitment.objects.bulk_create(batch.commitments)
    ServiceStation.objects.bulk_create(batch.stations)
    _save_evidence(batch)
    if not batch.applications or reviewer_id is None:
        return
    applications = []
    for planned in batch.applications:
        application = planned.application
        unit = application.unit
        # Entered by the operator where the unit has one, else by district staff on its behalf.
        application.created_by_id = unit.owner_id or reviewer_id
        applications.append(application)
    timestamps = [
        DemonstrationApplication._meta.get_field("created_at"),
        DemonstrationApplication._meta.get_field("updated_at"),
        ApplicationEvent._meta.get_field("at"),
    ]
    with _own_timestamps(*timestamps):
        DemonstrationApplication.objects.bulk_create(applications)
        events: list[ApplicationEvent] = []
        for planned in batch.applications:
            application = planned.application
            reviewer = street_reviewers.get(application.unit.jurisdiction_id, reviewer_id)
            events.extend(
                ApplicationEvent(
                    application=application,
                    from_status=event.from_status,
                    to_status=event.to_status,
                    actor_id=application.created_by_id if event.by_applicant else reviewer,
                    at=event.at,
                    reason=event.reason,
                )
                for event in planned.events
            )
        ApplicationEvent.objects.bulk_create(events)
        PublicNotice.objects.bulk_create(
            PublicNotice(
                application=planned.application,
                starts_on=planned.notice[0],
                ends_on=planned.notice[1],
                opened_by_id=street_reviewers.get(
                    planned.application.unit.jurisdiction_id, reviewer_id
                ),
            )
            for planned in batch.applications
            if planned.notice
        )
