"""Benchmark of the selection-center search (catalog_sku_search) at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/search.py --skus 1000000

Creates a fresh database `shuxuan_bench_search` on DATABASE_URL's server and migrates it, then
1. seeds N SKUs (about three per product) of realistic Sichuan products — brand × product × spec ×
   origin from the demo vocabulary — into catalog_product, catalog_sku and catalog_sku_search with
   COPY, the search columns (jieba terms, n-grams, tsvector) built exactly as the services build them;
   the search table's indexes are built after the load; then ANALYZE;
2. runs a fixed mix of 200 queries (1-, 2- and 3+-character queries, with and without filters, every
   sort, first pages and follow-on cursor pages) once to warm the cache, then times it against the
   service layer (`search.selection_search`) and against the HTTP endpoint (Django test Client,
   session-authenticated anchor user), printing p50/p95/p99 of each;
3. EXPLAINs every query of the mix, prints each distinct plan shape, and reports whether any plan
   read catalog_sku_search with a sequential scan.
The last line is one JSON object with the figures. `--reuse` skips the reseed when the database
already holds the requested number of SKUs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = "shuxuan_bench_search"

# ---------------------------------------------------------------------------------------------
# Vocabulary: leaf category code -> (product nouns, qualifiers, specs, (city, county) origins, retail range yuan)

VOCAB: dict[str, tuple[list[str], list[str], list[str], list[tuple[str, str]], tuple[int, int]]] = {
    "liquor.baijiu": (
        ["浓香型白酒", "酱香型白酒", "清香型白酒", "纯粮固态白酒", "光瓶口粮酒", "窖藏老酒", "五粮浓香白酒"],
        ["52度", "42度", "53度", "38度", "45度", "50度"],
        ["500ml×1瓶", "500ml×2瓶 礼盒", "500ml×6瓶 整箱", "100ml 品鉴装", "1L 坛装"],
        [
            ("宜宾市", "翠屏区"),
            ("宜宾市", "叙州区"),
            ("泸州市", "江阳区"),
            ("泸州市", "古蔺县"),
            ("德阳市", "绵竹市"),
            ("遂宁市", "射洪市"),
            ("成都市", "锦江区"),
        ],
        (39, 1680),
    ),
    "tea.green": (
        ["蒙顶甘露", "峨眉山茶", "竹叶青绿茶", "都江堰茶", "马边绿茶", "屏山炒青", "雀舌", "毛峰"],
        ["特级", "一级", "明前", "雨前", "高山"],
        ["50g 罐装", "100g 罐装", "250g 礼盒", "500g 袋装"],
        [
            ("雅安市", "名山区"),
            ("乐山市", "峨眉山市"),
            ("成都市", "都江堰市"),
            ("乐山市", "马边彝族自治县"),
            ("宜宾市", "屏山县"),
        ],
        (49, 698),
    ),
    "tea.black": (
        ["筠连红茶", "川红工夫", "金骏眉"],
        ["特级", "一级"],
        ["100g", "250g 礼盒"],
        [("宜宾市", "筠连县"), ("宜宾市", "高县")],
        (59, 498),
    ),
    "tea.dark": (
        ["雅安藏茶", "金尖砖茶", "康砖"],
        ["陈年", "五年陈"],
        ["500g 砖", "1000g 砖"],
        [("雅安市", "雨城区"), ("雅安市", "荥经县")],
        (58, 398),
    ),
    "tea.white": (["大竹白茶", "白毫银针"], ["特级", "一级"], ["100g", "200g 礼盒"], [("达州市", "大竹县")], (88, 468)),
    "condiment.doubanjiang": (
        ["郫县豆瓣", "郫县豆瓣酱", "红油豆瓣", "香辣豆瓣酱", "陈酿豆瓣"],
        ["一级", "特级", "三年陈酿", "五年陈酿", "红油"],
        ["500g 袋装", "1kg 瓶装", "300g 瓶装", "300g×3瓶", "5kg 餐饮装"],
        [("成都市", "郫都区")],
        (9, 129),
    ),
    "condiment.pepper": (
        ["汉源花椒", "茂县花椒", "金阳青花椒", "二荆条辣椒", "得荣树椒", "藤椒油"],
        ["特级", "一级", "头茬"],
        ["100g", "250g 袋装", "500g 袋装"],
        [("雅安市", "汉源县"), ("阿坝藏族羌族自治州", "茂县"), ("凉山彝族自治州", "金阳县"), ("甘孜藏族自治州", "得荣县")],
        (12, 168),
    ),
    "condiment.vinegar": (
        ["保宁醋", "太源井晒醋", "中坝酱油", "先市酱油"],
        ["三年陈", "特级"],
        ["500ml", "1L", "2.5L"],
        [("南充市", "阆中市"), ("自贡市", "贡井区"), ("绵阳市", "江油市"), ("泸州市", "合江县")],
        (8, 88),
    ),
    "condiment.pickle": (
        ["宜宾芽菜", "资中冬尖", "东坡泡菜", "南充冬菜"],
        ["传统", "甜味"],
        ["250g", "500g×2袋"],
        [("宜宾市", "叙州区"), ("内江市", "资中县"), ("眉山市", "东坡区"), ("南充市", "顺庆区")],
        (9, 59),
    ),
    "hotpot.butter": (
        ["牛油火锅底料", "老火锅底料", "麻辣火锅底料", "手工牛油底料"],
        ["麻辣", "特辣", "微辣", "中辣"],
        ["400g", "400g×3袋", "200g", "2kg 餐饮装"],
        [("成都市", "双流区"), ("成都市", "郫都区"), ("成都市", "新都区"), ("成都市", "金牛区")],
        (15, 199),
    ),
    "hotpot.clear": (
        ["菌汤火锅底料", "番茄火锅底料", "清油火锅底料"],
        ["清香", "不辣"],
        ["200g", "200g×4袋"],
        [("成都市", "双流区"), ("成都市", "温江区")],
        (12, 69),
    ),
    "hotpot.chuanchuan": (
        ["冷锅串串底料", "钵钵鸡调料", "冒菜底料"],
        ["麻辣", "藤椒"],
        ["260g", "260g×5袋"],
        [("乐山市", "市中区"), ("成都市", "双流区")],
        (10, 69),
    ),
    "snack.rabbit": (
        ["冷吃兔", "缠丝兔", "冷吃牛肉", "麻辣兔头", "卤鸭脖"],
        ["麻辣", "微辣", "五香"],
        ["200g", "500g 罐装", "100g×5袋"],
        [("自贡市", "自流井区"), ("自贡市", "大安区"), ("德阳市", "广汉市"), ("成都市", "双流区")],
        (19, 129),
    ),
    "snack.meat": (
        ["张飞牛肉", "灯影牛肉丝", "牦牛肉干", "麻辣牛肉干"],
        ["五香", "麻辣", "原味"],
        ["100g", "188g", "250g×2袋"],
        [("南充市", "阆中市"), ("达州市", "通川区"), ("甘孜藏族自治州", "康定市"), ("阿坝藏族羌族自治州", "红原县")],
        (25, 199),
    ),
    "snack.noodle": (
        ["宜宾燃面", "担担面", "酸辣粉", "钟水饺"],
        ["速食", "经典"],
        ["3人份", "6人份", "12袋整箱"],
        [("宜宾市", "翠屏区"), ("成都市", "青羊区"), ("成都市", "锦江区")],
        (15, 79),
    ),
    "fresh.pomegranate": (
        ["会理石榴", "软籽石榴", "突尼斯软籽石榴"],
        ["精品", "大果", "中果"],
        ["5斤装", "10斤装", "3斤装"],
        [("凉山彝族自治州", "会理市"), ("攀枝花市", "仁和区")],
        (39, 199),
    ),
    "fresh.kiwi": (
        ["蒲江猕猴桃", "红心猕猴桃", "苍溪红心猕猴桃", "都江堰猕猴桃"],
        ["红阳", "金艳", "特大果"],
        ["12枚", "24枚", "5斤装"],
        [("成都市", "蒲江县"), ("广元市", "苍溪县"), ("成都市", "都江堰市")],
        (39, 159),
    ),
    "fresh.lemon": (
        ["安岳柠檬", "黄柠檬", "香水柠檬"],
        ["一级果", "特级果"],
        ["3斤装", "5斤装"],
        [("资阳市", "安岳县")],
        (19, 79),
    ),
    "fresh.citrus": (
        ["蒲江丑柑", "邻水脐橙", "中江柚", "南部脆香甜柚", "爱媛果冻橙"],
        ["精品", "大果"],
        ["5斤装", "9斤装", "2个装"],
        [("成都市", "蒲江县"), ("广安市", "邻水县"), ("德阳市", "中江县"), ("南充市", "南部县"), ("眉山市", "丹棱县")],
        (29, 139),
    ),
    "fresh.other": (
        ["攀枝花芒果", "资中枇杷", "合江荔枝", "龙泉驿水蜜桃", "丹棱脆红李", "安居黄金梨"],
        ["精品", "大果"],
        ["3斤装", "5斤装"],
        [
            ("攀枝花市", "米易县"),
            ("内江市", "资中县"),
            ("泸州市", "合江县"),
            ("成都市", "龙泉驿区"),
            ("眉山市", "丹棱县"),
            ("遂宁市", "安居区"),
        ],
        (29, 169),
    ),
    "dried.mushroom": (
        ["雅江松茸", "老君香菇", "攀枝花块菌"],
        ["干品", "鲜品"],
        ["100g", "250g", "500g"],
        [("甘孜藏族自治州", "雅江县"), ("达州市", "宣汉县"), ("攀枝花市", "盐边县")],
        (39, 899),
    ),
    "dried.fungus": (
        ["通江银耳", "黄金黑木耳"],
        ["特级", "一级"],
        ["100g", "250g"],
        [("巴中市", "通江县"), ("达州市", "宣汉县")],
        (29, 259),
    ),
    "shoes.women": (
        ["女士真皮短靴", "切尔西靴", "羊皮单鞋", "粗跟高跟鞋", "小白鞋", "乐福鞋"],
        ["头层牛皮", "软底", "秋冬新款"],
        ["黑色 35码", "黑色 36码", "黑色 37码", "棕色 37码", "米白 38码"],
        [("成都市", "武侯区")],
        (129, 699),
    ),
    "shoes.men": (
        ["男士商务皮鞋", "休闲板鞋", "马丁靴"],
        ["头层牛皮", "透气"],
        ["黑色 40码", "黑色 42码", "棕色 43码"],
        [("成都市", "武侯区")],
        (159, 799),
    ),
    "apparel.women": (
        ["新中式盘扣衬衫", "真丝连衣裙", "羊毛针织开衫", "阔腿裤"],
        ["新中式", "通勤", "真丝混纺"],
        ["S", "M", "L", "XL"],
        [("成都市", "锦江区"), ("成都市", "青羊区")],
        (99, 899),
    ),
    "apparel.brocade": (
        ["蜀锦真丝丝巾", "蜀绣团扇", "蜀锦围巾"],
        ["非遗", "芙蓉花纹", "熊猫纹"],
        ["90×90cm", "53×53cm", "礼盒装"],
        [("成都市", "青羊区"), ("成都市", "郫都区")],
        (88, 1288),
    ),
    "beauty.skincare": (
        ["川芎修护面霜", "玻尿酸精华", "补水面膜", "氨基酸洁面"],
        ["修护", "保湿", "敏感肌"],
        ["50g", "30ml", "10片装", "120g"],
        [("成都市", "武侯区"), ("成都市", "都江堰市")],
        (39, 399),
    ),
    "beauty.makeup": (
        ["丝绒口红", "气垫粉底", "眼影盘"],
        ["雾面", "持妆"],
        ["3.5g", "15g", "9色"],
        [("成都市", "武侯区")],
        (49, 299),
    ),
    "digital.audio": (
        ["降噪蓝牙耳机", "蓝牙音箱", "直播声卡"],
        ["主动降噪", "长续航"],
        ["黑色", "白色"],
        [("绵阳市", "涪城区"), ("成都市", "武侯区")],
        (99, 899),
    ),
    "digital.phone_acc": (
        ["氮化镓充电器", "快充数据线", "磁吸充电宝", "直播补光灯"],
        ["65W", "20W", "10000mAh"],
        ["白色", "黑色"],
        [("绵阳市", "涪城区"), ("绵阳市", "游仙区")],
        (29, 299),
    ),
}
BRAND_PREFIXES = [
    "蜀",
    "川",
    "巴",
    "天府",
    "锦官",
    "峨眉",
    "蒙顶",
    "青城",
    "嘉州",
    "叙府",
    "盐帮",
    "凉山",
    "剑门",
    "邛崃",
    "阆苑",
    "蓉城",
    "岷江",
    "沱江",
    "雅州",
    "贡井",
    "芙蓉",
    "熊猫",
    "竹海",
    "西岭",
    "九寨",
    "稻城",
    "金沙",
    "龙泉",
    "汶川",
    "大渡",
]
BRAND_MIDDLES = ["香", "味", "源", "鲜", "礼", "韵", "品", "农", "山", "记", "坊", "缘", "家", "盛", "禾"]
BRAND_KINDS = {
    "liquor": "酒业",
    "tea": "茶业",
    "condiment": "食品",
    "hotpot": "食品",
    "snack": "食品",
    "fresh": "农业开发",
    "dried": "农业",
    "shoes": "鞋业",
    "apparel": "服饰",
    "beauty": "美妆科技",
    "digital": "电子科技",
}
SELLING_POINTS = [
    "产地直发",
    "地理标志产品",
    "非遗工艺",
    "手工制作",
    "顺丰包邮",
    "七天无理由",
    "当季新品",
    "主播同款",
    "源头工厂",
    "川味经典",
]

# ---------------------------------------------------------------------------------------------
# The query mix.

ONE_CHAR = ["酒", "茶", "兔", "椒", "鞋", "橙", "面", "靴", "醋", "梨"]
TWO_CHAR = ["白酒", "豆瓣", "绿茶", "石榴", "短靴", "成都", "花椒", "面霜", "牛肉", "柠檬", "底料", "松茸"]
LONG = [
    "浓香型白酒",
    "郫县豆瓣",
    "冷吃兔",
    "蒙顶甘露",
    "会理石榴",
    "县豆瓣",
    "女士真皮短靴",
    "峨眉山茶 明前",
    "牛油火锅底料 麻辣",
    "雅江松茸",
    "酱香型白酒 53度",
    "红心猕猴桃",
    "宜宾燃面",
]
SORTS = ["relevance", "commission", "earnings", "sales", "newest"]


def database_urls() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL (postgres://user@host:port/any_db); the bench creates its own database.")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def fresh_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def database_exists(admin_url: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone() is not None


def setup_django(bench_url: str, settings_module: str) -> None:
    sys.path.insert(0, str(REPO / "backend"))
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "600")
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------
# Seeding.


def seed(n_skus: int, rng: random.Random) -> dict[str, float]:
    from django.db import connection

    from shuxuan.catalog.models import Category
    from shuxuan.catalog.services import search_document
    from shuxuan.common.credit_code import make_credit_code
    from shuxuan.parties.models import Organization, OrganizationKind

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    categories = {c.code: c for c in Category.objects.select_related("parent")}
    leaves = [code for code in VOCAB if code in categories]
    # Brands: a few hundred per top-level domain, named prefix + middle + kind.
    orgs = []
    serial = 1
    for kind in BRAND_KINDS.values():
        for prefix in BRAND_PREFIXES:
            for middle in rng.sample(BRAND_MIDDLES, 6):
                orgs.append(
                    Organization(
                        name=f"四川{prefix}{middle}{kind}有限公司",
                        kind=OrganizationKind.BRAND,
                        credit_code=make_credit_code(division="510100", serial=serial),
                        city="成都市",
                    )
                )
                serial += 1
    Organization.objects.bulk_create(orgs, batch_size=2000)
    by_top: dict[str, list[tuple[int, str]]] = {}
    for org in Organization.objects.filter(kind=OrganizationKind.BRAND).values("id", "name"):
        for top, kind in BRAND_KINDS.items():
            if org["name"].endswith(f"{kind}有限公司"):
                by_top.setdefault(top, []).append((org["id"], org["name"]))
    all_brands = [item for items in by_top.values() for item in items]
    timings["brands"] = time.perf_counter() - t0

    now = datetime.now(tz=UTC)
    statuses = ["approved"] * 92 + ["submitted"] * 3 + ["draft"] * 3 + ["rejected"] * 2
    plan_types = ["open"] * 16 + ["targeted"] * 3 + ["exclusive"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM catalog_product")
        product_id = cursor.fetchone()[0]
        # Drop the search table's secondary indexes for the load; rebuild them after.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'catalog_sku_search' AND indexname NOT LIKE '%%pkey'"
        )
        index_defs = cursor.fetchall()
        for name, _ in index_defs:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_search_stage (LIKE catalog_sku_search INCLUDING DEFAULTS,"
            " terms_a text, terms_b text, terms_c text, terms_d text)"
        )
        cursor.execute("ALTER TABLE bench_search_stage DROP COLUMN search_vector")

    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection under Django's
    product_cols = (
        "id, brand_id, category_id, name, description, selling_points, origin_city, origin_county, is_geographic_indication,"
        " shelf_life_days, ship_from, status, rejection_reason, first_approved_at, created_at, updated_at"
    )
    sku_cols = (
        "id, product_id, brand_id, code, spec, currency, supply_price_minor, retail_price_minor, min_live_price_minor,"
        " max_live_price_minor, created_at"
    )
    stage_cols = (
        "sku_id, product_id, brand_id, brand_name, category_id, top_category_id, product_name, spec, cover_image, origin_city,"
        " origin_county, is_geographic_indication, status, currency, retail_price_minor, commission_bps, est_earnings_minor,"
        " sales_30d, in_stock, plan_type, listed_at, search_text, terms_a, terms_b, terms_c, terms_d"
    )
    t0 = time.perf_counter()
    sku_id = 0
    made = 0
    with raw.cursor() as cur:
        with (
            cur.copy(f"COPY catalog_product ({product_cols}) FROM STDIN") as products,
        ):
            sku_rows: list[tuple[Any, ...]] = []
            stage_rows: list[tuple[Any, ...]] = []
            while made < n_skus:
                leaf = rng.choice(leaves)
                nouns, qualifiers, specs, origins, (low, high) = VOCAB[leaf]
                leaf_category = categories[leaf]
                root = leaf_category.parent or leaf_category
                brand_id, brand_name = rng.choice(by_top.get(root.code) or all_brands)
                noun = rng.choice(nouns)
                name = f"{noun} {rng.choice(qualifiers)}" if rng.random() < 0.7 else f"{rng.choice(qualifiers)}{noun}"
                city, county = rng.choice(origins)
                product_id += 1
                status = rng.choice(statuses)
                created = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
                approved_at = created + timedelta(days=1) if status in ("approved", "submitted") else None
                points = rng.sample(SELLING_POINTS, 2)
                products.write_row(
                    (
                        product_id,
                        brand_id,
                        leaf_category.pk,
                        name,
                        "",
                        points,
                        city,
                        county,
                        rng.random() < 0.3,
                        365,
                        f"{city}仓",
                        status,
                        "资料不全" if status == "rejected" else "",
                        approved_at,
                        created,
                        created,
                    )
                )
                category_names = [root.name, leaf_category.name] if leaf_category.parent_id else [leaf_category.name]
                chosen_specs = rng.sample(specs, min(len(specs), rng.choice([2, 3, 3, 4])))
                base_retail = rng.randint(low, high) * 100 - rng.choice([0, 10, 100])
                base_retail = max(base_retail, 500)
                for index, spec in enumerate(chosen_specs):
                    if made >= n_skus:
                        break
                    sku_id += 1
                    made += 1
                    retail = base_retail + index * base_retail // 2
                    supply = retail * rng.randint(45, 70) // 100
                    sku_rows.append(
                        (
                            sku_id,
                            product_id,
                            brand_id,
                            f"B{product_id}-{index}",
                            spec,
                            "CNY",
                            supply,
                            retail,
                            retail * 8 // 10,
                            retail,
                            created,
                        )
                    )
                    doc = search_document(
                        name=name,
                        spec=spec,
                        brand_name=brand_name,
                        origin_city=city,
                        origin_county=county,
                        category_names=category_names,
                        selling_points=points,
                    )
                    commission = rng.randrange(500, 5001, 100)
                    sales = int(rng.paretovariate(1.2) * 10) - 10
                    stage_rows.append(
                        (
                            sku_id,
                            product_id,
                            brand_id,
                            brand_name,
                            leaf_category.pk,
                            root.pk,
                            name,
                            spec,
                            "",
                            city,
                            county,
                            rng.random() < 0.3,
                            status,
                            "CNY",
                            retail,
                            commission,
                            (retail * commission + 5000) // 10000,
                            min(sales, 2_000_000),
                            rng.random() < 0.85,
                            rng.choice(plan_types),
                            approved_at or created,
                            doc.search_text,
                            doc.terms_a,
                            doc.terms_b,
                            doc.terms_c,
                            doc.terms_d,
                        )
                    )
        with cur.copy(f"COPY catalog_sku ({sku_cols}) FROM STDIN") as copy:
            for row in sku_rows:
                copy.write_row(row)
        with cur.copy(f"COPY bench_search_stage ({stage_cols}) FROM STDIN") as copy:
            for row in stage_rows:
                copy.write_row(row)
    raw.commit()
    timings["copy"] = time.perf_counter() - t0
    del sku_rows, stage_rows

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        base_cols = stage_cols.rsplit(", terms_a", 1)[0]
        cursor.execute(
            f"INSERT INTO catalog_sku_search ({base_cols}, search_vector) SELECT {base_cols},"
            " setweight(to_tsvector('simple', terms_a), 'A') || setweight(to_tsvector('simple', terms_b), 'B')"
            " || setweight(to_tsvector('simple', terms_c), 'C') || setweight(to_tsvector('simple', terms_d), 'D')"
            " FROM bench_search_stage"
        )
        cursor.execute("DROP TABLE bench_search_stage")
        timings["vectors"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _, definition in index_defs:
            cursor.execute(definition)
        timings["indexes"] = time.perf_counter() - t0
        cursor.execute("SELECT setval(pg_get_serial_sequence('catalog_product', 'id'), %s)", [product_id])
        cursor.execute("SELECT setval(pg_get_serial_sequence('catalog_sku', 'id'), %s)", [sku_id])
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE catalog_sku_search")
        cursor.execute("ANALYZE catalog_product")
        cursor.execute("ANALYZE catalog_sku")
    timings["analyze"] = time.perf_counter() - t0
    return timings


# ---------------------------------------------------------------------------------------------
# Queries.


def query_mix(rng: random.Random) -> list[dict[str, Any]]:
    """200 query-string dicts. About a third carry no text; a quarter ask for a second page."""
    from shuxuan.catalog.models import Category

    roots = list(Category.objects.filter(parent__isnull=True).values_list("id", flat=True))
    leaves = list(Category.objects.filter(parent__isnull=False, code__in=list(VOCAB)).values_list("id", flat=True))
    cities = sorted({city for v in VOCAB.values() for city, _ in v[3]})
    counties = sorted({pair for v in VOCAB.values() for pair in v[3]})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT brand_id FROM catalog_sku_search TABLESAMPLE SYSTEM (1) LIMIT 50")
        brand_ids = [row[0] for row in cursor.fetchall()]
    mix: list[dict[str, Any]] = []
    texts = ONE_CHAR + TWO_CHAR + LONG
    while len(mix) < 200:
        params: dict[str, Any] = {}
        kind = rng.random()
        if kind < 0.22:
            params["q"] = rng.choice(ONE_CHAR)
        elif kind < 0.44:
            params["q"] = rng.choice(TWO_CHAR)
        elif kind < 0.70:
            params["q"] = rng.choice(LONG)
        if rng.random() < 0.55:
            for _ in range(rng.choice([1, 1, 2, 3])):
                which = rng.choice(
                    ["category", "category_leaf", "city", "county", "price", "commission", "in_stock", "brand", "plan", "gi"]
                )
                if which == "category":
                    params["category"] = rng.choice(roots)
                elif which == "category_leaf":
                    params["category"] = rng.choice(leaves)
                elif which == "city":
                    params["origin_city"] = rng.choice(cities)
                elif which == "county":
                    params["origin_city"], params["origin_county"] = rng.choice(counties)
                elif which == "price":
                    low = rng.choice([0, 50, 100, 200])
                    params["price_min"], params["price_max"] = str(low), str(low * 2 + 50)
                elif which == "commission":
                    params["commission_min"] = rng.choice([1000, 2000, 3000, 4000])
                elif which == "in_stock":
                    params["in_stock"] = "true"
                elif which == "brand" and brand_ids:
                    params["brand"] = rng.choice(brand_ids)
                elif which == "plan":
                    params["plan_type"] = rng.choice(["open", "targeted"])
                else:
                    params["is_geographic_indication"] = "true"
        params["sort"] = rng.choice(SORTS) if "q" in params else rng.choice(SORTS[1:])
        params["second_page"] = rng.random() < 0.25
        mix.append(params)
    _ = texts
    return mix


def to_search_params(query: dict[str, Any], cursor: str = "") -> Any:
    from shuxuan.catalog.search import SearchParams
    from shuxuan.common.money import to_minor

    return SearchParams(
        q=query.get("q", ""),
        category_id=query.get("category"),
        origin_city=query.get("origin_city", ""),
        origin_county=query.get("origin_county", ""),
        price_min_minor=to_minor(query["price_min"], "CNY") if "price_min" in query else None,
        price_max_minor=to_minor(query["price_max"], "CNY") if "price_max" in query else None,
        commission_min_bps=query.get("commission_min"),
        in_stock=True if query.get("in_stock") == "true" else None,
        is_geographic_indication=True if query.get("is_geographic_indication") == "true" else None,
        brand_id=query.get("brand"),
        plan_type=query.get("plan_type", ""),
        sort=query["sort"],
        cursor=cursor,
        page_size=20,
    )


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 50) * 1000, 2),
        "p95_ms": round(percentile(values, 95) * 1000, 2),
        "p99_ms": round(percentile(values, 99) * 1000, 2),
        "max_ms": round(max(values) * 1000, 2),
        "mean_ms": round(statistics.fmean(values) * 1000, 2),
    }


def run_service(mix: list[dict[str, Any]]) -> tuple[list[float], list[tuple[float, dict[str, Any], Any]]]:
    from shuxuan.catalog.search import selection_search

    timings: list[float] = []
    detail: list[tuple[float, dict[str, Any], Any]] = []
    for query in mix:
        cursor = ""
        if query["second_page"]:
            cursor = selection_search(to_search_params(query)).next_cursor or ""
        params = to_search_params(query, cursor)
        t0 = time.perf_counter()
        page = selection_search(params)
        elapsed = time.perf_counter() - t0
        timings.append(elapsed)
        detail.append((elapsed, query, page))
    return timings, detail


def run_http(mix: list[dict[str, Any]], client: Any, url: str) -> list[float]:
    timings: list[float] = []
    for query in mix:
        qs = {k: v for k, v in query.items() if k != "second_page"}
        if query["second_page"]:
            first = client.get(url + "?" + urlencode(qs))
            assert first.status_code == 200, first.content[:300]
            if first.json()["next"]:
                qs["cursor"] = first.json()["next"]
        t0 = time.perf_counter()
        response = client.get(url + "?" + urlencode(qs))
        timings.append(time.perf_counter() - t0)
        assert response.status_code == 200, (qs, response.status_code, response.content[:300])
    return timings


def plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes += plan_nodes(child)
    return nodes


def plan_shape(plan: dict[str, Any]) -> str:
    parts = []
    for node in plan_nodes(plan):
        label = node["Node Type"]
        if node.get("Index Name"):
            label += f"[{node['Index Name']}]"
        elif node.get("Relation Name"):
            label += f"[{node['Relation Name']}]"
        parts.append(label)
    return " > ".join(parts)


def explain_all(detail: list[tuple[float, dict[str, Any], Any]]) -> tuple[Counter[str], list[str], list[tuple[float, str, Any]]]:
    """EXPLAIN every statement the search ran (a capped probe, then possibly the bitmap), under the
    search's own planner settings (search.search_settings)."""
    from django.db import connection

    from shuxuan.catalog.search import search_settings

    shapes: Counter[str] = Counter()
    seq_scans: list[str] = []
    slowest: list[tuple[float, str, Any]] = []
    for elapsed, query, page in detail:
        for statement in page.statements:
            with search_settings(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (FORMAT JSON) " + statement.sql, statement.params)
                plan = cursor.fetchone()[0][0]["Plan"]
            shape = f"{statement.strategy}: {plan_shape(plan)}"
            shapes[shape] += 1
            if any(n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "catalog_sku_search" for n in plan_nodes(plan)):
                seq_scans.append(json.dumps({k: v for k, v in query.items()}, ensure_ascii=False))
        slowest.append((elapsed, json.dumps(query, ensure_ascii=False), page))
    slowest.sort(key=lambda item: -item[0])
    return shapes, seq_scans, slowest[:5]


def explain_analyze(sql: str, values: list[Any]) -> str:
    from django.db import connection

    from shuxuan.catalog.search import search_settings

    with search_settings(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, values)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--settings", default="config.settings.local", help="Django settings module (default %(default)s)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds --skus SKUs")
    args = parser.parse_args()

    admin_url, bench_url = database_urls()
    reuse = False
    if args.reuse and database_exists(admin_url):
        import psycopg

        with psycopg.connect(bench_url) as conn:
            try:
                count = conn.execute("SELECT count(*) FROM catalog_sku_search").fetchone()[0]  # type: ignore[index]
                reuse = count == args.skus
            except psycopg.Error:
                reuse = False
    if not reuse:
        fresh_database(admin_url)
    setup_django(bench_url, args.settings)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from shuxuan.common.credit_code import make_credit_code
    from shuxuan.parties.models import Organization, OrganizationKind, Role, User

    rng = random.Random(args.seed)
    seed_timings: dict[str, float] = {}
    if not reuse:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        seed_timings["migrate"] = time.perf_counter() - t0
        seed_timings |= seed(args.skus, rng)
        print("seeded", args.skus, "SKUs:", {k: round(v, 1) for k, v in seed_timings.items()}, "seconds", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('catalog_sku_search')) FROM catalog_sku_search")
        rows, size = cursor.fetchone()
    print(f"catalog_sku_search: {rows} rows, {size} with indexes; load average {os.getloadavg()}", flush=True)

    mcn, _ = Organization.objects.get_or_create(
        credit_code=make_credit_code(division="510100", serial=99_999_999),
        defaults={"name": "基准测试MCN", "kind": OrganizationKind.MCN},
    )
    user, _ = User.objects.get_or_create(username="bench_anchor", defaults={"organization": mcn, "roles": [Role.OWNER]})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("catalog-selection-list")

    mix = query_mix(random.Random(args.seed + 1))
    print("warm-up pass ...", flush=True)
    run_service(mix)
    service_times, detail = run_service(mix)
    http_times = run_http(mix, client, url)
    service_summary, http_summary = summary(service_times), summary(http_times)
    print("service layer (200 queries):", service_summary)
    print("HTTP endpoint (200 queries):", http_summary)

    by_kind: dict[str, list[float]] = {}
    http_by_kind: dict[str, list[float]] = {}
    strategies: Counter[str] = Counter()
    for (elapsed, query, page), http_elapsed in zip(detail, http_times, strict=True):
        strategies[" then ".join(s.strategy for s in page.statements)] += 1
        q = query.get("q", "")
        kind = "no text" if not q else ("1 char" if len(q) == 1 else "2 chars" if len(q) == 2 else "3+ chars")
        by_kind.setdefault(kind, []).append(elapsed)
        by_kind.setdefault(f"sort={query['sort']}", []).append(elapsed)
        http_by_kind.setdefault(kind, []).append(http_elapsed)
        http_by_kind.setdefault(f"sort={query['sort']}", []).append(http_elapsed)
    for kind, values in sorted(by_kind.items()):
        print(f"  {kind:16s} n={len(values):3d} service", summary(values), "HTTP", summary(http_by_kind[kind]))
    print("statements run (count: strategies):", dict(strategies.most_common()))

    shapes, seq_scans, slowest = explain_all(detail)
    print("\nplan shapes seen (count: shape):")
    for shape, count in shapes.most_common():
        print(f"  {count:3d}: {shape}")
    print(f"\nsequential scans of catalog_sku_search: {len(seq_scans)}")
    for seq_query in seq_scans[:10]:
        print("  ", seq_query)
    print("\nslowest 3 queries, EXPLAIN ANALYZE:")
    for elapsed, slow_query, page in slowest[:3]:
        print(f"--- {elapsed * 1000:.1f} ms  {slow_query}  ({' then '.join(s.strategy for s in page.statements)})")
        for statement in page.statements:
            print(explain_analyze(statement.sql, statement.params))
    result = {
        "skus": rows,
        "table_size": size,
        "seed_seconds": {k: round(v, 1) for k, v in seed_timings.items()},
        "service": service_summary,
        "http": http_summary,
        "seq_scans": len(seq_scans),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "target_p95_ms": 50,
        "ok": service_summary["p95_ms"] <= 50 and http_summary["p95_ms"] <= 50 and not seq_scans,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
