"""Sichuan's 21 prefecture-level divisions and their 183 county-level units (origin validation).

Source: shared/reference/sichuan-reference.md section (a), generated from modood/Administrative-divisions-of-China
(NBS 2023 统计用区划代码). Old names that products still carry (郫县, 会理县, 名山县, 双流县, 宜宾县) map to the
current unit in FORMER_COUNTY_NAMES so an import that says 郫县 lands on 郫都区.
"""

from __future__ import annotations

# code -> (prefecture, counties)
PREFECTURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "5101": (
        "成都市",
        (
            "锦江区",
            "青羊区",
            "金牛区",
            "武侯区",
            "成华区",
            "龙泉驿区",
            "青白江区",
            "新都区",
            "温江区",
            "双流区",
            "郫都区",
            "新津区",
            "金堂县",
            "大邑县",
            "蒲江县",
            "都江堰市",
            "彭州市",
            "邛崃市",
            "崇州市",
            "简阳市",
        ),
    ),
    "5103": (
        "自贡市",
        (
            "自流井区",
            "贡井区",
            "大安区",
            "沿滩区",
            "荣县",
            "富顺县",
        ),
    ),
    "5104": (
        "攀枝花市",
        (
            "东区",
            "西区",
            "仁和区",
            "米易县",
            "盐边县",
        ),
    ),
    "5105": (
        "泸州市",
        (
            "江阳区",
            "纳溪区",
            "龙马潭区",
            "泸县",
            "合江县",
            "叙永县",
            "古蔺县",
        ),
    ),
    "5106": (
        "德阳市",
        (
            "旌阳区",
            "罗江区",
            "中江县",
            "广汉市",
            "什邡市",
            "绵竹市",
        ),
    ),
    "5107": (
        "绵阳市",
        (
            "涪城区",
            "游仙区",
            "安州区",
            "三台县",
            "盐亭县",
            "梓潼县",
            "北川羌族自治县",
            "平武县",
            "江油市",
        ),
    ),
    "5108": (
        "广元市",
        (
            "利州区",
            "昭化区",
            "朝天区",
            "旺苍县",
            "青川县",
            "剑阁县",
            "苍溪县",
        ),
    ),
    "5109": (
        "遂宁市",
        (
            "船山区",
            "安居区",
            "蓬溪县",
            "大英县",
            "射洪市",
        ),
    ),
    "5110": (
        "内江市",
        (
            "市中区",
            "东兴区",
            "威远县",
            "资中县",
            "隆昌市",
        ),
    ),
    "5111": (
        "乐山市",
        (
            "市中区",
            "沙湾区",
            "五通桥区",
            "金口河区",
            "犍为县",
            "井研县",
            "夹江县",
            "沐川县",
            "峨边彝族自治县",
            "马边彝族自治县",
            "峨眉山市",
        ),
    ),
    "5113": (
        "南充市",
        (
            "顺庆区",
            "高坪区",
            "嘉陵区",
            "南部县",
            "营山县",
            "蓬安县",
            "仪陇县",
            "西充县",
            "阆中市",
        ),
    ),
    "5114": (
        "眉山市",
        (
            "东坡区",
            "彭山区",
            "仁寿县",
            "洪雅县",
            "丹棱县",
            "青神县",
        ),
    ),
    "5115": (
        "宜宾市",
        (
            "翠屏区",
            "南溪区",
            "叙州区",
            "江安县",
            "长宁县",
            "高县",
            "珙县",
            "筠连县",
            "兴文县",
            "屏山县",
        ),
    ),
    "5116": (
        "广安市",
        (
            "广安区",
            "前锋区",
            "岳池县",
            "武胜县",
            "邻水县",
            "华蓥市",
        ),
    ),
    "5117": (
        "达州市",
        (
            "通川区",
            "达川区",
            "宣汉县",
            "开江县",
            "大竹县",
            "渠县",
            "万源市",
        ),
    ),
    "5118": (
        "雅安市",
        (
            "雨城区",
            "名山区",
            "荥经县",
            "汉源县",
            "石棉县",
            "天全县",
            "芦山县",
            "宝兴县",
        ),
    ),
    "5119": (
        "巴中市",
        (
            "巴州区",
            "恩阳区",
            "通江县",
            "南江县",
            "平昌县",
        ),
    ),
    "5120": (
        "资阳市",
        (
            "雁江区",
            "安岳县",
            "乐至县",
        ),
    ),
    "5132": (
        "阿坝藏族羌族自治州",
        (
            "马尔康市",
            "汶川县",
            "理县",
            "茂县",
            "松潘县",
            "九寨沟县",
            "金川县",
            "小金县",
            "黑水县",
            "壤塘县",
            "阿坝县",
            "若尔盖县",
            "红原县",
        ),
    ),
    "5133": (
        "甘孜藏族自治州",
        (
            "康定市",
            "泸定县",
            "丹巴县",
            "九龙县",
            "雅江县",
            "道孚县",
            "炉霍县",
            "甘孜县",
            "新龙县",
            "德格县",
            "白玉县",
            "石渠县",
            "色达县",
            "理塘县",
            "巴塘县",
            "乡城县",
            "稻城县",
            "得荣县",
        ),
    ),
    "5134": (
        "凉山彝族自治州",
        (
            "西昌市",
            "会理市",
            "木里藏族自治县",
            "盐源县",
            "德昌县",
            "会东县",
            "宁南县",
            "普格县",
            "布拖县",
            "金阳县",
            "昭觉县",
            "喜德县",
            "冕宁县",
            "越西县",
            "甘洛县",
            "美姑县",
            "雷波县",
        ),
    ),
}

COUNTIES_BY_CITY: dict[str, frozenset[str]] = {city: frozenset(counties) for city, counties in PREFECTURES.values()}

# Names still used on labels and in GI texts -> (prefecture, current county-level unit).
FORMER_COUNTY_NAMES: dict[str, tuple[str, str]] = {
    "郫县": ("成都市", "郫都区"),
    "双流县": ("成都市", "双流区"),
    "宜宾县": ("宜宾市", "叙州区"),
    "名山县": ("雅安市", "名山区"),
    "会理县": ("凉山彝族自治州", "会理市"),
}

# Short forms people type: 凉山州 -> 凉山彝族自治州, 成都 -> 成都市.
CITY_ALIASES: dict[str, str] = {
    **{city.removesuffix("市"): city for city in COUNTIES_BY_CITY if city.endswith("市")},
    "阿坝州": "阿坝藏族羌族自治州",
    "甘孜州": "甘孜藏族自治州",
    "凉山州": "凉山彝族自治州",
}


class OriginError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def normalize_origin(city: str, county: str) -> tuple[str, str]:
    """(city, county) in their official form; OriginError naming the field when not a Sichuan origin.

    County may be blank (a product from the whole prefecture, e.g. 泸州酒); city may not.
    """
    city = CITY_ALIASES.get(city.strip(), city.strip())
    county = county.strip()
    if county in FORMER_COUNTY_NAMES:
        former_city, county = FORMER_COUNTY_NAMES[county]
        if city and city != former_city:
            raise OriginError(
                "origin_county", f"{county} 属于 {former_city}，不属于 {city} / {county} is in {former_city}, not {city}"
            )
        city = former_city
    if city not in COUNTIES_BY_CITY:
        raise OriginError("origin_city", f"{city or '(空)'} 不是四川省的市州 / {city or '(blank)'} is not a Sichuan prefecture")
    if county and county not in COUNTIES_BY_CITY[city]:
        raise OriginError("origin_county", f"{county} 不是 {city} 的区县 / {county} is not a county of {city}")
    return city, county
