from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from shuxuan.audit.models import AuditEntry
from shuxuan.catalog import services
from shuxuan.catalog.imports import product_import
from shuxuan.catalog.models import Product, Sku
from shuxuan.catalog.tests.conftest import client_for
from shuxuan.common.exceptions import DomainError

pytestmark = pytest.mark.django_db

HEADER = "SKU编码,商品名称,类目,规格,供货价,建议零售价,直播最低价,直播最高价,产地市州,产地区县,地理标志,保质期天数,卖点"
GOOD_ROWS = [
    "PX-1J500,郫县豆瓣 一级 500g,豆瓣酱,500g 袋装,9.80,19.90,12.90,19.90,成都市,郫都区,是,720,三年陈酿；川菜之魂",
    "PX-1J1000,郫县豆瓣 一级 500g,豆瓣酱,1kg 瓶装,18.50,36.90,25.90,36.90,成都市,郫都区,是,720,三年陈酿；川菜之魂",
    "HG-NY-400,牛油火锅底料 麻辣 400g,hotpot.butter,400g,12.00,¥25.90,16.90,25.90,成都,双流区,否,365,",
]


def csv_bytes(rows: list[str], encoding: str = "utf-8") -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode(encoding)


def test_good_csv_creates_drafts_and_reimport_changes_nothing(cast):
    report = product_import(actor=cast.owner, filename="products.csv", content=csv_bytes(GOOD_ROWS))
    assert report.as_dict() == {"created": 3, "updated": 0, "unchanged": 0, "rejected": []}
    assert Product.objects.filter(brand=cast.brand, status="draft").count() == 2
    douban = Product.objects.get(name="郫县豆瓣 一级 500g")
    assert douban.selling_points == ["三年陈酿", "川菜之魂"] and douban.is_geographic_indication
    assert Sku.objects.get(code="HG-NY-400").retail_price_minor == 2590

    audits = AuditEntry.objects.count()
    again = product_import(actor=cast.owner, filename="products.csv", content=csv_bytes(GOOD_ROWS))
    assert again.as_dict() == {"created": 0, "updated": 0, "unchanged": 3, "rejected": []}
    assert AuditEntry.objects.count() == audits


def test_gb18030_csv_is_read(cast):
    report = product_import(actor=cast.owner, filename="products.csv", content=csv_bytes(GOOD_ROWS[:1], "gb18030"))
    assert report.created == 1


def test_good_xlsx(cast):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "MD-GL-100",
            "蒙顶甘露 特级 100g",
            "tea.green",
            "100g 罐装",
            88,
            168.0,
            128.5,
            168,
            "雅安市",
            "名山区",
            "否",
            540,
            "明前",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = product_import(actor=cast.owner, filename="products.xlsx", content=buffer.getvalue())
    assert report.as_dict() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": []}
    sku = Sku.objects.get(code="MD-GL-100")
    assert (sku.supply_price_minor, sku.retail_price_minor, sku.min_live_price_minor) == (8800, 16800, 12850)


def test_a_file_with_bad_rows_is_refused_whole_with_reasons(cast):
    rows = [
        GOOD_ROWS[0],
        "PX-BAD,郫县豆瓣 特级,豆瓣酱,500g,abc,19.90,12.90,19.90,成都市,郫都区,是,720,",  # line 3: price
        "PX-2,郫县豆瓣 特级 2,不存在的类目,500g,9.80,19.90,12.90,19.90,成都市,郫都区,是,720,",  # line 4: category
        "PX-3,郫县豆瓣 特级 3,豆瓣酱,500g,9.80,19.90,12.90,19.90,成都市,翠屏区,是,720,",  # line 5: county
        "px-1j500,郫县豆瓣 特级 4,豆瓣酱,500g,9.80,19.90,12.90,19.90,成都市,郫都区,是,720,",  # line 6: duplicate code
        "PX-5,,豆瓣酱,500g,9.80,19.90,12.90,19.90,成都市,郫都区,是,720,",  # line 7: name missing
        "PX-6,郫县豆瓣 特级 6,豆瓣酱,500g,20.00,19.90,12.90,19.90,成都市,郫都区,也许,720,",  # line 8: two problems
    ]
    before = (Product.objects.count(), Sku.objects.count(), AuditEntry.objects.count())
    report = product_import(actor=cast.owner, filename="products.csv", content=csv_bytes(rows))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert [(r.line, r.field) for r in report.rejected] == [
        (3, "supply_price"),
        (4, "category"),
        (5, "origin_county"),
        (6, "sku_code"),
        (7, "product_name"),
        (8, "is_geographic_indication"),
    ]
    assert all(r.reason for r in report.rejected)
    assert (Product.objects.count(), Sku.objects.count(), AuditEntry.objects.count()) == before


def test_changed_price_updates_and_sends_an_approved_product_back_to_review(cast):
    product_import(actor=cast.owner, filename="p.csv", content=csv_bytes(GOOD_ROWS))
    douban = Product.objects.get(name="郫县豆瓣 一级 500g")
    services.product_submit(actor=cast.owner, product=douban)
    services.product_approve(actor=cast.reviewer, product=douban)
    changed = [GOOD_ROWS[0].replace(",19.90,12.90,19.90,", ",21.90,12.90,21.90,"), *GOOD_ROWS[1:]]
    report = product_import(actor=cast.owner, filename="p.csv", content=csv_bytes(changed))
    assert report.as_dict() == {"created": 0, "updated": 1, "unchanged": 2, "rejected": []}
    douban.refresh_from_db()
    assert douban.status == "submitted"


def test_wrong_format_is_refused_with_a_clear_message(cast):
    with pytest.raises(DomainError) as error:
        product_import(actor=cast.owner, filename="x.xlsx", content=b"PK\x03\x04not really a zip")
    assert error.value.field == "file"
    with pytest.raises(DomainError) as error:
        product_import(actor=cast.owner, filename="x.csv", content="名称,价格\n冷吃兔,1\n".encode())
    assert error.value.field == "file" and "sku_code" in error.value.message
    assert Product.objects.count() == 0


def test_import_endpoint(cast):
    client = client_for(cast.owner)
    url = reverse("catalog-product-import")
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", csv_bytes(GOOD_ROWS))}, format="multipart")
    assert response.status_code == 200 and response.json()["created"] == 3
    bad = csv_bytes([GOOD_ROWS[0].replace("9.80", "x")])
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", bad)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["rejected"] == [{"line": 2, "field": "supply_price", "reason": "'x' 不是金额 / not an amount"}]
    assert client_for(cast.mcn_user).post(url, {"file": SimpleUploadedFile("p.csv", bad)}, format="multipart").status_code == 403
