"""The demo world: a plausible, fictional Sichuan cast. Names are invented; places and products are
real (see shared/reference/sichuan-reference.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

OPERATOR_ORG = {"name": "四川蜀选供应链管理有限公司", "division": "510100", "city": "成都市", "county": "高新区"}
OPERATOR_USERS: list[tuple[str, str, list[str]]] = [
    ("op_admin", "运营管理员 王丽", ["owner", "staff"]),
    ("op_staff", "运营专员 赵敏", ["staff"]),
    ("op_reviewer", "产品审核 陈刚", ["reviewer"]),
    ("op_supply", "供应链专员 刘洋", ["supply"]),
    ("op_finance", "财务主管 杨帆", ["finance"]),
]


@dataclass(frozen=True)
class BrandSeed:
    username: str
    name: str
    industry: str
    division: str
    city: str
    county: str
    contact: str


BRANDS = [
    BrandSeed("brand_jiu", "宜宾叙府窖酒业有限公司", "白酒", "511500", "宜宾市", "翠屏区", "李建国"),
    BrandSeed("brand_luzhou", "泸州江阳老窖坊酒业有限公司", "白酒", "510500", "泸州市", "江阳区", "罗志强"),
    BrandSeed("brand_tea", "雅安蒙顶云雾茶业有限公司", "茶叶", "511800", "雅安市", "名山区", "高雪梅"),
    BrandSeed("brand_emei", "峨眉山竹叶春茶业有限公司", "茶叶", "511100", "乐山市", "峨眉山市", "张竹青"),
    BrandSeed("brand_douban", "郫都豆香坊食品有限公司", "调味品", "510100", "成都市", "郫都区", "周红"),
    BrandSeed("brand_hotpot", "成都川味坊火锅食品有限公司", "火锅底料", "510100", "成都市", "双流区", "吴辣"),
    BrandSeed("brand_snack", "自贡盐帮冷吃食品有限公司", "休闲零食", "510300", "自贡市", "自流井区", "黄小川"),
    BrandSeed("brand_shoes", "成都蜀履鞋业有限公司", "鞋靴", "510100", "成都市", "武侯区", "何美丽"),
    BrandSeed("brand_fashion", "成都锦官服饰有限公司", "服饰", "510100", "成都市", "锦江区", "唐锦"),
    BrandSeed("brand_beauty", "成都芙蓉美妆科技有限公司", "美妆", "510100", "成都市", "高新区", "林芙"),
    BrandSeed("brand_tech", "绵阳科创智能电子有限公司", "数码电子", "510700", "绵阳市", "涪城区", "邓科"),
    BrandSeed("brand_fruit", "会理石榴红农业开发有限公司", "生鲜水果", "513400", "凉山彝族自治州", "会理市", "阿依"),
]


@dataclass(frozen=True)
class AccountSeed:
    platform: str
    uid: str
    nickname: str
    fans: int
    categories: tuple[str, ...]


@dataclass(frozen=True)
class AnchorSeed:
    username: str | None
    name: str
    kind: str
    city: str
    county: str
    categories: tuple[str, ...]
    accounts: tuple[AccountSeed, ...]
    mcn: str | None  # key of MCNS
    split_bps: int = 3000


MCNS = {
    "panda": {
        "username": "mcn_owner",
        "display": "熊猫星选 负责人 钟晴",
        "name": "成都熊猫星选文化传媒有限公司",
        "division": "510100",
        "city": "成都市",
        "county": "武侯区",
    },
    "tianfu": {
        "username": "mcn2_owner",
        "display": "天府直播 负责人 蒋峰",
        "name": "四川天府好物直播电子商务有限公司",
        "division": "510100",
        "city": "成都市",
        "county": "成华区",
    },
}

ANCHORS = [
    AnchorSeed(
        "anchor_xiaoman",
        "蜀中小满",
        "person",
        "成都市",
        "武侯区",
        ("食品饮料", "酒类"),
        (
            AccountSeed("douyin", "dy_58213907", "蜀中小满", 2_350_000, ("食品饮料", "酒类")),
            AccountSeed("kuaishou", "ks_3390217", "小满的川味厨房", 860_000, ("食品饮料",)),
        ),
        "panda",
        3000,
    ),
    AnchorSeed(
        "anchor_chaxian",
        "茶仙阿蒙",
        "person",
        "雅安市",
        "名山区",
        ("茶叶",),
        (
            AccountSeed("douyin", "dy_70421135", "茶仙阿蒙", 1_120_000, ("茶叶",)),
            AccountSeed("xiaohongshu", "xhs_5f2a9c01", "阿蒙说茶", 310_000, ("茶叶",)),
        ),
        "panda",
        2500,
    ),
    AnchorSeed(
        None,
        "川妹子辣辣",
        "person",
        "成都市",
        "郫都区",
        ("食品饮料", "调味品"),
        (
            AccountSeed("kuaishou", "ks_4471098", "川妹子辣辣", 3_400_000, ("食品饮料", "调味品")),
            AccountSeed("wechat", "wx_sph_a81f22", "辣辣的厨房", 190_000, ("食品饮料",)),
        ),
        "panda",
        3500,
    ),
    AnchorSeed(
        None,
        "锦官城穿搭",
        "person",
        "成都市",
        "锦江区",
        ("服饰", "鞋靴"),
        (
            AccountSeed("douyin", "dy_66120984", "锦官城穿搭", 980_000, ("服饰", "鞋靴")),
            AccountSeed("taobao", "tb_2209887765", "锦官城穿搭日记", 420_000, ("服饰",)),
        ),
        "tianfu",
        4000,
    ),
    AnchorSeed(
        "anchor_meizhuang",
        "芙蓉姐姐说美妆",
        "person",
        "成都市",
        "高新区",
        ("美妆",),
        (
            AccountSeed("douyin", "dy_80934412", "芙蓉说美妆", 1_760_000, ("美妆",)),
            AccountSeed("xiaohongshu", "xhs_61b0d7e3", "芙蓉的化妆台", 540_000, ("美妆",)),
        ),
        "tianfu",
        3000,
    ),
    AnchorSeed(
        None,
        "数字人·川小蜀",
        "digital_human",
        "成都市",
        "高新区",
        ("食品饮料", "茶叶", "酒类"),
        (AccountSeed("douyin", "dy_90011873", "川小蜀（数字人）", 240_000, ("食品饮料",)),),
        "tianfu",
        2000,
    ),
    AnchorSeed(
        None,
        "绵阳数码老邓",
        "person",
        "绵阳市",
        "涪城区",
        ("数码电子",),
        (
            AccountSeed("kuaishou", "ks_5528861", "老邓聊数码", 720_000, ("数码电子",)),
            AccountSeed("wechat", "wx_sph_c09b71", "老邓数码", 88_000, ("数码电子",)),
        ),
        None,
    ),
    AnchorSeed(
        None,
        "大凉山阿依",
        "person",
        "凉山彝族自治州",
        "会理市",
        ("生鲜水果",),
        (
            AccountSeed("douyin", "dy_71230556", "大凉山阿依", 650_000, ("生鲜水果",)),
            AccountSeed("kuaishou", "ks_6601742", "阿依家的石榴园", 1_050_000, ("生鲜水果",)),
        ),
        "panda",
        3000,
    ),
]

SERVICE_PROVIDERS = [
    ("sp_owner", "物流 负责人 孙运", "成都蜀运供应链物流有限公司", "510100", "成都市", "新都区"),
]

OBSERVERS = [
    ("observer_gov", "观察员 省商务厅", "四川省直播电商发展促进中心", "510100", "成都市", "青羊区"),
]


@dataclass
class SeedResult:
    created: dict[str, int] = field(default_factory=dict)

    def bump(self, key: str, created: bool) -> None:
        self.created[key] = self.created.get(key, 0) + int(created)
