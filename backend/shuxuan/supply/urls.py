from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shuxuan.supply import apis

router = DefaultRouter()
router.register("warehouses", apis.WarehouseViewSet, basename="supply-warehouse")
router.register("stock-items", apis.StockItemViewSet, basename="supply-stock-item")
router.register("purchase-orders", apis.PurchaseOrderViewSet, basename="supply-purchase-order")
router.register("receipts", apis.ReceiptViewSet, basename="supply-receipt")
router.register("stock", apis.StockBalanceViewSet, basename="supply-balance")
router.register("movements", apis.MovementViewSet, basename="supply-movement")
router.register("shipments", apis.ShipmentViewSet, basename="supply-shipment")
router.register("returns", apis.ReturnViewSet, basename="supply-return")
router.register("transfers", apis.TransferViewSet, basename="supply-transfer")
router.register("counts", apis.CountViewSet, basename="supply-count")
router.register("reservations", apis.ReservationViewSet, basename="supply-reservation")

urlpatterns = [
    path("report/", apis.StockReportView.as_view(), name="supply-report"),
    path("report/export/", apis.StockReportExportView.as_view(), name="supply-report-export"),
    path("", include(router.urls)),
]
