from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "shuxuan.settlement"
    label = "settlement"
    verbose_name = "结算 Settlement"

    def ready(self) -> None:
        from shuxuan.payments.facade import transfer_status_changed
        from shuxuan.settlement.receivers import on_transfer_status_changed

        transfer_status_changed.connect(on_transfer_status_changed, dispatch_uid="settlement.transfer_status")
