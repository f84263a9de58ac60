"""The demo catalog for the brands of shuxuan.demo.world: `seed_catalog_demo()` (idempotent).

Products go through the real services: created by the brand's owner, submitted, and approved by the
operator's reviewer (a few stay in draft, submitted or rejected). Keyed by brand + SKU code, so a second
run changes nothing. Commission, stock and 30-day sales are set through the facade the later apps will use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from shuxuan.catalog import services
from shuxuan.catalog.categories import categories_ensure
from shuxuan.catalog.models import Category, CertificationStatus, Product, Sku
from shuxuan.common.money import to_minor
from shuxuan.parties.models import User

# code, spec, supply, retail, min live, max live (yuan)
SkuSeed = tuple[str, str, str, str, str, str]


@dataclass(frozen=True)
class ProductSeed:
    brand: str  # owner username in demo.world.BRANDS
    category: str  # Category.code
    name: str
    city: str
    county: str
    gi: bool
    shelf_life_days: int | None
    selling_points: tuple[str, ...]
    description: str
    skus: tuple[SkuSeed, ...]
    state: str = CertificationStatus.APPROVED
    commission_bps: int = 2000


DEMO_PRODUCTS: tuple[ProductSeed, ...] = (
    ProductSeed(
        "brand_jiu",
        "liquor.baijiu",
        "52度浓香型白酒 500ml",
        "宜宾市",
        "翠屏区",
        True,
        None,
        ("多粮固态发酵", "窖香浓郁", "宜宾原产"),
        "以高粱、大米、糯米、小麦、玉米五粮酿造，陶坛贮存三年。",
        (
            ("XFJ-52-500", "500ml×1瓶", "168.00", "299.00", "239.00", "299.00"),
            ("XFJ-52-500X2", "500ml×2瓶 礼盒", "320.00", "568.00", "459.00", "568.00"),
            ("XFJ-52-500X6", "500ml×6瓶 整箱", "930.00", "1680.00", "1299.00", "1680.00"),
        ),
        commission_bps=2500,
    ),
    ProductSeed(
        "brand_jiu",
        "liquor.baijiu",
        "叙府窖 42度浓香型白酒 光瓶",
        "宜宾市",
        "叙州区",
        False,
        None,
        ("口粮酒", "绵甜爽净"),
        "日常口粮酒，入口绵甜。",
        (
            ("XFJ-42-480", "480ml×1瓶", "39.00", "69.00", "49.90", "69.00"),
            ("XFJ-42-480X12", "480ml×12瓶 整箱", "450.00", "799.00", "559.00", "799.00"),
        ),
        commission_bps=3000,
    ),
    ProductSeed(
        "brand_luzhou",
        "liquor.baijiu",
        "泸州浓香型白酒 52度 窖藏十年",
        "泸州市",
        "江阳区",
        True,
        None,
        ("泸州酒地理标志", "窖池老酒", "宴请送礼"),
        "泸州酒地理标志保护区内酿造，窖藏十年基酒勾调。",
        (
            ("JYL-10Y-500", "500ml×1瓶", "198.00", "358.00", "288.00", "358.00"),
            ("JYL-10Y-500X2", "500ml×2瓶 礼盒", "380.00", "688.00", "558.00", "688.00"),
        ),
        commission_bps=2200,
    ),
    ProductSeed(
        "brand_luzhou",
        "liquor.baijiu",
        "酱香型白酒 53度 古蔺坤沙",
        "泸州市",
        "古蔺县",
        False,
        None,
        ("坤沙工艺", "赤水河畔"),
        "古蔺县赤水河畔酿造，坤沙工艺，酱香突出。",
        (
            ("JYL-JX-500", "500ml×1瓶", "260.00", "468.00", "388.00", "468.00"),
            ("JYL-JX-100", "100ml 品鉴装", "45.00", "79.00", "59.00", "79.00"),
        ),
        state=CertificationStatus.SUBMITTED,
    ),
    ProductSeed(
        "brand_tea",
        "tea.green",
        "蒙顶甘露 特级 100g",
        "雅安市",
        "名山区",
        False,
        540,
        ("明前采摘", "一芽一叶", "蒙顶山核心产区"),
        "蒙顶山明前茶，卷曲披毫，栗香清甜。",
        (
            ("MD-GL-T100", "特级 100g 罐装", "88.00", "168.00", "128.00", "168.00"),
            ("MD-GL-T250", "特级 250g 礼盒", "208.00", "398.00", "299.00", "398.00"),
            ("MD-GL-1J100", "一级 100g 袋装", "52.00", "98.00", "69.00", "98.00"),
        ),
        commission_bps=2500,
    ),
    ProductSeed(
        "brand_tea",
        "tea.yellow",
        "蒙顶黄芽 一级 50g",
        "雅安市",
        "名山区",
        False,
        540,
        ("传统闷黄工艺", "甜醇回甘"),
        "蒙顶黄芽，黄茶代表，闷黄工艺。",
        (
            ("MD-HY-1J50", "一级 50g", "68.00", "128.00", "99.00", "128.00"),
            ("MD-HY-1J100", "一级 100g", "128.00", "238.00", "188.00", "238.00"),
        ),
    ),
    ProductSeed(
        "brand_tea",
        "tea.dark",
        "雅安藏茶 金尖 500g",
        "雅安市",
        "雨城区",
        False,
        3650,
        ("越陈越香", "砖茶"),
        "雅安藏茶金尖砖，适合煮饮。",
        (
            ("YA-ZC-500", "500g 砖", "58.00", "118.00", "88.00", "118.00"),
            ("YA-ZC-1000", "1000g 砖", "108.00", "218.00", "168.00", "218.00"),
        ),
        state=CertificationStatus.DRAFT,
    ),
    ProductSeed(
        "brand_emei",
        "tea.green",
        "峨眉山茶 竹叶春 明前特级 80g",
        "乐山市",
        "峨眉山市",
        True,
        540,
        ("峨眉山茶地理标志", "扁平挺直", "嫩栗香"),
        "峨眉山海拔800米以上茶园，明前采摘。",
        (
            ("EM-ZYC-80", "明前特级 80g", "98.00", "188.00", "148.00", "188.00"),
            ("EM-ZYC-160", "明前特级 160g 礼盒", "188.00", "358.00", "278.00", "358.00"),
        ),
        commission_bps=2000,
    ),
    ProductSeed(
        "brand_emei",
        "tea.green",
        "峨眉雪芽 绿茶 一级 100g",
        "乐山市",
        "峨眉山市",
        True,
        540,
        ("高山云雾", "口粮茶"),
        "峨眉高山云雾绿茶，清香耐泡。",
        (
            ("EM-XY-100", "一级 100g", "45.00", "88.00", "59.00", "88.00"),
            ("EM-XY-250", "一级 250g", "105.00", "198.00", "139.00", "198.00"),
        ),
    ),
    ProductSeed(
        "brand_douban",
        "condiment.doubanjiang",
        "郫县豆瓣 一级 500g",
        "成都市",
        "郫都区",
        True,
        720,
        ("郫县豆瓣地理标志", "三年陈酿", "川菜之魂"),
        "二荆条辣椒与蚕豆瓣翻晒发酵，红褐油润，酱香浓郁。",
        (
            ("PX-DB-1J500", "一级 500g 袋装", "9.80", "19.90", "12.90", "19.90"),
            ("PX-DB-1J1000", "一级 1kg 瓶装", "18.50", "36.90", "25.90", "36.90"),
            ("PX-DB-3Y500", "三年陈酿 500g 瓶装", "19.00", "39.90", "29.90", "39.90"),
        ),
        commission_bps=2800,
    ),
    ProductSeed(
        "brand_douban",
        "condiment.doubanjiang",
        "郫县豆瓣酱 红油 300g",
        "成都市",
        "郫都区",
        True,
        540,
        ("红油豆瓣", "回锅肉麻婆豆腐"),
        "红油郫县豆瓣酱，炒菜拌面都好用。",
        (
            ("PX-HY-300", "300g 瓶装", "6.50", "13.80", "9.90", "13.80"),
            ("PX-HY-300X3", "300g×3瓶", "18.00", "36.90", "26.90", "36.90"),
        ),
    ),
    ProductSeed(
        "brand_douban",
        "condiment.pepper",
        "汉源花椒 红花椒 250g",
        "雅安市",
        "汉源县",
        True,
        540,
        ("汉源贡椒", "麻香浓郁"),
        "汉源县清溪红花椒，粒大色红，麻味纯正。",
        (
            ("HY-HJ-250", "250g 袋装", "22.00", "45.00", "32.00", "45.00"),
            ("HY-HJ-500", "500g 袋装", "42.00", "85.00", "59.00", "85.00"),
        ),
        state=CertificationStatus.REJECTED,
    ),
    ProductSeed(
        "brand_hotpot",
        "hotpot.butter",
        "牛油火锅底料 重庆风味改良 麻辣 400g",
        "成都市",
        "双流区",
        False,
        365,
        ("手工炒制", "牛油香浓", "一料多用"),
        "精选牛油与郫县豆瓣手工炒制，麻辣鲜香。",
        (
            ("CWF-NY-400", "麻辣 400g", "12.00", "25.90", "16.90", "25.90"),
            ("CWF-NY-400X3", "麻辣 400g×3袋", "34.00", "69.90", "45.90", "69.90"),
            ("CWF-NY-WL-400", "微辣 400g", "12.00", "25.90", "16.90", "25.90"),
        ),
        commission_bps=3000,
    ),
    ProductSeed(
        "brand_hotpot",
        "hotpot.clear",
        "菌汤火锅底料 清香型 200g",
        "成都市",
        "双流区",
        False,
        365,
        ("不辣", "老人小孩适用"),
        "多种菌菇熬制，清香不辣。",
        (
            ("CWF-JT-200", "200g", "8.00", "16.90", "11.90", "16.90"),
            ("CWF-JT-200X4", "200g×4袋", "30.00", "59.90", "39.90", "59.90"),
        ),
    ),
    ProductSeed(
        "brand_hotpot",
        "hotpot.chuanchuan",
        "冷锅串串底料 钵钵鸡调料 260g",
        "成都市",
        "双流区",
        False,
        365,
        ("乐山风味", "冷热两吃"),
        "乐山钵钵鸡、冷锅串串一料搞定。",
        (
            ("CWF-BBJ-260", "260g", "7.00", "14.90", "9.90", "14.90"),
            ("CWF-BBJ-260X5", "260g×5袋", "33.00", "66.00", "45.00", "66.00"),
        ),
        state=CertificationStatus.SUBMITTED,
    ),
    ProductSeed(
        "brand_snack",
        "snack.rabbit",
        "冷吃兔 麻辣 200g",
        "自贡市",
        "自流井区",
        False,
        180,
        ("自贡盐帮菜", "鲜兔现做", "香辣入味"),
        "自贡冷吃兔，鲜兔肉丁与干辣椒、花椒慢火煸炒。",
        (
            ("ZG-LCT-200", "麻辣 200g", "15.00", "29.90", "22.90", "29.90"),
            ("ZG-LCT-500", "麻辣 500g 罐装", "35.00", "69.90", "52.90", "69.90"),
            ("ZG-LCT-WL-200", "微辣 200g", "15.00", "29.90", "22.90", "29.90"),
        ),
        commission_bps=3500,
    ),
    ProductSeed(
        "brand_snack",
        "snack.meat",
        "灯影牛肉丝 五香 100g",
        "达州市",
        "通川区",
        False,
        270,
        ("薄如纸", "下酒零食"),
        "达州灯影牛肉丝，片薄透光。",
        (
            ("ZG-DYNR-100", "五香 100g", "14.00", "28.80", "19.90", "28.80"),
            ("ZG-DYNR-100X3", "五香 100g×3袋", "40.00", "79.90", "55.90", "79.90"),
        ),
    ),
    ProductSeed(
        "brand_snack",
        "snack.meat",
        "张飞牛肉 麻辣 188g",
        "南充市",
        "阆中市",
        False,
        270,
        ("阆中特产", "表黑里红"),
        "阆中风味牛肉，表黑里红。",
        (
            ("ZG-ZFNR-188", "麻辣 188g", "25.00", "49.90", "35.90", "49.90"),
            ("ZG-ZFNR-188X2", "麻辣 188g×2袋", "48.00", "95.00", "68.00", "95.00"),
        ),
    ),
    ProductSeed(
        "brand_shoes",
        "shoes.women",
        "女士真皮短靴 粗跟切尔西靴",
        "成都市",
        "武侯区",
        False,
        None,
        ("头层牛皮", "成都女鞋之都", "防滑橡胶底"),
        "武侯女鞋产业带出品，头层牛皮，粗跟 5cm。",
        (
            ("SL-QEX-35", "黑色 35码", "139.00", "299.00", "199.00", "299.00"),
            ("SL-QEX-37", "黑色 37码", "139.00", "299.00", "199.00", "299.00"),
            ("SL-QEX-BR-37", "棕色 37码", "139.00", "299.00", "199.00", "299.00"),
        ),
        commission_bps=2000,
    ),
    ProductSeed(
        "brand_shoes",
        "shoes.women",
        "女士软底单鞋 羊皮平底",
        "成都市",
        "武侯区",
        False,
        None,
        ("羊皮软底", "通勤百搭"),
        "羊皮鞋面，软底不累脚。",
        (
            ("SL-DX-36", "米白 36码", "89.00", "199.00", "129.00", "199.00"),
            ("SL-DX-38", "米白 38码", "89.00", "199.00", "129.00", "199.00"),
        ),
    ),
    ProductSeed(
        "brand_fashion",
        "apparel.brocade",
        "蜀锦真丝丝巾 芙蓉花纹",
        "成都市",
        "青羊区",
        True,
        None,
        ("蜀锦地理标志", "非遗工艺", "桑蚕丝"),
        "蜀锦织造技艺，芙蓉花纹，桑蚕丝。",
        (
            ("JG-SJ-90", "90×90cm", "168.00", "368.00", "268.00", "368.00"),
            ("JG-SJ-53", "53×53cm", "88.00", "198.00", "148.00", "198.00"),
        ),
        commission_bps=2500,
    ),
    ProductSeed(
        "brand_fashion",
        "apparel.women",
        "新中式盘扣衬衫 女 真丝混纺",
        "成都市",
        "锦江区",
        False,
        None,
        ("新中式", "真丝混纺"),
        "盘扣立领，新中式通勤。",
        (
            ("JG-PK-S", "月白 S", "118.00", "259.00", "179.00", "259.00"),
            ("JG-PK-M", "月白 M", "118.00", "259.00", "179.00", "259.00"),
            ("JG-PK-L", "月白 L", "118.00", "259.00", "179.00", "259.00"),
        ),
    ),
    ProductSeed(
        "brand_beauty",
        "beauty.skincare",
        "川芎精华面霜 修护保湿 50g",
        "成都市",
        "都江堰市",
        False,
        1095,
        ("都江堰川芎提取", "敏感肌可用"),
        "都江堰川芎提取物，修护屏障。",
        (
            ("FR-MS-50", "50g", "68.00", "159.00", "109.00", "159.00"),
            ("FR-MS-50X2", "50g×2 套装", "128.00", "299.00", "199.00", "299.00"),
        ),
        commission_bps=4000,
    ),
    ProductSeed(
        "brand_beauty",
        "beauty.makeup",
        "芙蓉色口红 丝绒雾面 3.5g",
        "成都市",
        "武侯区",
        False,
        1095,
        ("芙蓉花色", "持久不沾杯"),
        "成都芙蓉花色系。",
        (
            ("FR-KH-01", "01 芙蓉红", "35.00", "89.00", "59.00", "89.00"),
            ("FR-KH-02", "02 锦官橘", "35.00", "89.00", "59.00", "89.00"),
        ),
    ),
    ProductSeed(
        "brand_tech",
        "digital.audio",
        "蓝牙耳机 降噪入耳式 长续航",
        "绵阳市",
        "涪城区",
        False,
        None,
        ("主动降噪", "40小时续航"),
        "绵阳科技城研发，主动降噪。",
        (("KC-EJ-B", "黑色", "89.00", "199.00", "139.00", "199.00"), ("KC-EJ-W", "白色", "89.00", "199.00", "139.00", "199.00")),
        commission_bps=1500,
    ),
    ProductSeed(
        "brand_tech",
        "digital.phone_acc",
        "氮化镓快充充电器 65W",
        "绵阳市",
        "涪城区",
        False,
        None,
        ("氮化镓", "三口快充"),
        "65W 氮化镓三口快充。",
        (
            ("KC-CD-65", "65W 白色", "45.00", "99.00", "69.00", "99.00"),
            ("KC-CD-65-C", "65W 含双C线", "55.00", "119.00", "85.00", "119.00"),
        ),
    ),
    ProductSeed(
        "brand_fruit",
        "fresh.pomegranate",
        "会理石榴 5斤装 突尼斯软籽",
        "凉山彝族自治州",
        "会理市",
        True,
        30,
        ("会理石榴地理标志", "软籽可嚼", "产地直发"),
        "会理市海拔1800米果园，突尼斯软籽石榴，现摘现发。",
        (
            ("HL-SL-5J", "5斤装 中果", "39.00", "69.90", "49.90", "69.90"),
            ("HL-SL-5J-DG", "5斤装 大果", "49.00", "89.90", "65.90", "89.90"),
            ("HL-SL-10J", "10斤装 中果", "72.00", "129.90", "95.90", "129.90"),
        ),
        commission_bps=2000,
    ),
    ProductSeed(
        "brand_fruit",
        "fresh.lemon",
        "安岳柠檬 黄柠檬 3斤装",
        "资阳市",
        "安岳县",
        True,
        30,
        ("安岳柠檬地理标志", "皮薄多汁"),
        "中国柠檬之都安岳，一级果。",
        (
            ("HL-NM-3J", "3斤装 一级果", "15.00", "29.90", "19.90", "29.90"),
            ("HL-NM-5J", "5斤装 一级果", "23.00", "45.90", "31.90", "45.90"),
        ),
    ),
    ProductSeed(
        "brand_fruit",
        "fresh.kiwi",
        "蒲江猕猴桃 红心 24枚",
        "成都市",
        "蒲江县",
        True,
        20,
        ("蒲江猕猴桃地理标志", "红阳品种"),
        "蒲江县红阳红心猕猴桃。",
        (
            ("HL-MHT-24", "24枚 单果80-100g", "38.00", "79.90", "55.90", "79.90"),
            ("HL-MHT-12", "12枚 单果100-120g", "29.00", "59.90", "42.90", "59.90"),
        ),
    ),
    # Last, so the search signals of the products above keep their index.
    ProductSeed(
        "brand_jiu",
        "liquor.baijiu",
        "叙府窖 52度 生肖纪念酒 1L",
        "宜宾市",
        "翠屏区",
        True,
        None,
        ("生肖纪念", "限量编号", "宜宾原产"),
        "五粮浓香基酒，生肖纪念瓶限量编号，送礼收藏。",
        (("XFJ-SX-1000", "1L×1瓶 生肖纪念", "388.00", "699.00", "559.00", "699.00"),),
        state=CertificationStatus.SUBMITTED,
    ),
)


def _sku_fields(seed: SkuSeed) -> dict[str, Any]:
    code, spec, supply, retail, min_live, max_live = seed
    return {
        "code": code,
        "spec": spec,
        "currency": "CNY",
        "supply_price_minor": to_minor(supply, "CNY"),
        "retail_price_minor": to_minor(retail, "CNY"),
        "min_live_price_minor": to_minor(min_live, "CNY"),
        "max_live_price_minor": to_minor(max_live, "CNY"),
    }


def seed_catalog_demo() -> dict[str, int]:
    """Create the demo catalog for the demo brands that exist. Returns counts of what it created."""
    categories_ensure(Category)
    reviewer = User.objects.filter(username="op_reviewer").first()
    owners = {
        u.username: u for u in User.objects.filter(username__in={p.brand for p in DEMO_PRODUCTS}).select_related("organization")
    }
    categories = dict(Category.objects.values_list("code", "id"))
    created = {"products": 0, "skus": 0}
    for index, seed in enumerate(DEMO_PRODUCTS):
        owner = owners.get(seed.brand)
        if owner is None or reviewer is None:
            continue
        first_code = seed.skus[0][0]
        if Sku.objects.filter(brand_id=owner.organization_id, code__iexact=first_code).exists():
            continue
        with transaction.atomic():
            product = services.product_create(
                actor=owner,
                data={
                    "category": categories[seed.category],
                    "name": seed.name,
                    "description": seed.description,
                    "selling_points": list(seed.selling_points),
                    "origin_city": seed.city,
                    "origin_county": seed.county,
                    "is_geographic_indication": seed.gi,
                    "shelf_life_days": seed.shelf_life_days,
                    "ship_from": f"{owner.organization.city}仓" if owner.organization else "",
                },
                skus=[_sku_fields(s) for s in seed.skus],
            )
            created["products"] += 1
            created["skus"] += len(seed.skus)
            _advance(product=product, owner=owner, reviewer=reviewer, state=seed.state)
            for position, sku in enumerate(product.skus.order_by("id")):
                services.search_row_set_signals(
                    sku_id=sku.pk,
                    commission_bps=seed.commission_bps,
                    in_stock=position != 2,
                    sales_30d=(index * 37 + position * 11) % 97 * 13,
                )
    return created


def _advance(*, product: Product, owner: User, reviewer: User, state: str) -> None:
    if state == CertificationStatus.DRAFT:
        return
    services.product_submit(actor=owner, product=product)
    if state == CertificationStatus.APPROVED:
        services.product_approve(actor=reviewer, product=product)
    elif state == CertificationStatus.REJECTED:
        services.product_reject(
            actor=reviewer, product=product, reason="产地证明材料不全，请补充汉源县花椒产地证明 / origin certificate missing"
        )
