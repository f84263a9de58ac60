"""The platform's category tree (类目), seeded by migration 0002 and kept in step by `categories_ensure`.

Level-1 names follow the labels common to Taobao/Tmall, JD and Douyin (shared/reference/sichuan-reference.md
section c); level 2 names the Sichuan goods the platform actually lists. Codes are stable identifiers
that imports may use instead of names.
"""

from __future__ import annotations

from typing import Any

# (code, name, children[(code, name)])
CATEGORY_TREE: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "liquor",
        "酒类",
        [("liquor.baijiu", "白酒"), ("liquor.fruit", "果酒"), ("liquor.health", "黄酒/养生酒")],
    ),
    (
        "tea",
        "茶叶",
        [
            ("tea.green", "绿茶"),
            ("tea.yellow", "黄茶"),
            ("tea.black", "红茶"),
            ("tea.dark", "黑茶/藏茶"),
            ("tea.white", "白茶"),
            ("tea.flower", "花草茶"),
        ],
    ),
    (
        "condiment",
        "调味品",
        [
            ("condiment.doubanjiang", "豆瓣酱"),
            ("condiment.pepper", "花椒/辣椒"),
            ("condiment.vinegar", "醋/酱油"),
            ("condiment.salt", "井盐"),
            ("condiment.pickle", "泡菜/酱腌菜"),
        ],
    ),
    (
        "hotpot",
        "火锅底料",
        [("hotpot.butter", "牛油火锅底料"), ("hotpot.clear", "清油/菌汤底料"), ("hotpot.chuanchuan", "串串/冒菜料")],
    ),
    (
        "snack",
        "休闲零食",
        [("snack.meat", "肉干肉脯"), ("snack.rabbit", "冷吃兔/卤味"), ("snack.nut", "坚果炒货"), ("snack.noodle", "方便速食")],
    ),
    (
        "fresh",
        "生鲜水果",
        [
            ("fresh.citrus", "柑橘橙柚"),
            ("fresh.kiwi", "猕猴桃"),
            ("fresh.pomegranate", "石榴"),
            ("fresh.lemon", "柠檬"),
            ("fresh.other", "其他水果"),
        ],
    ),
    ("dried", "山珍干货", [("dried.mushroom", "菌菇"), ("dried.fungus", "银耳木耳"), ("dried.tonic", "滋补药材")]),
    ("shoes", "鞋靴", [("shoes.women", "女鞋"), ("shoes.men", "男鞋"), ("shoes.sport", "运动鞋")]),
    ("apparel", "服饰", [("apparel.women", "女装"), ("apparel.men", "男装"), ("apparel.brocade", "蜀锦蜀绣")]),
    ("beauty", "美妆", [("beauty.skincare", "面部护肤"), ("beauty.makeup", "彩妆"), ("beauty.body", "身体护理")]),
    ("digital", "数码电子", [("digital.phone_acc", "手机配件"), ("digital.audio", "影音娱乐"), ("digital.smart", "智能设备")]),
    ("craft", "特色手工艺", [("craft.bamboo", "竹编"), ("craft.print", "年画")]),
]


def categories_ensure(category_model: Any) -> None:
    """Create or refresh the category tree (idempotent). Takes the model so that the data
    migration can pass its historical model; tests and the demo pass the real one (a test that
    flushes the database removes the rows the migration wrote)."""
    for position, (code, name, children) in enumerate(CATEGORY_TREE):
        parent, _ = category_model.objects.update_or_create(
            code=code, defaults={"name": name, "parent": None, "position": position}
        )
        for child_position, (child_code, child_name) in enumerate(children):
            category_model.objects.update_or_create(
                code=child_code, defaults={"name": child_name, "parent": parent, "position": child_position}
            )
