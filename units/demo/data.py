"""What the units seeder draws from: the register's sizes and weights, names, roads, people,
commitment texts, the reasons staff give, and the demonstration blocks."""

from __future__ import annotations

from units.models import BusinessStatus, Commitment, DemonstrationBlock, Industry

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
