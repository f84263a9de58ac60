from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "shuxuan.settlement"
    label = "settlement"
    verbose_name = "结算 Settlement"

    def ready(self) -> None:
        from shuxuan.ledger.facade import register_check
        from shuxuan.payments.facade import transfer_status_changed
        from shuxuan.settlement.checks import (
            legs_reference_what_exists,
            legs_tie_to_entries,
            no_leg_is_negative,
            run_totals_tie_to_legs,
            settled_basis_is_sum_of_legs,
        )
        from shuxuan.settlement.receivers import on_transfer_status_changed

        transfer_status_changed.connect(on_transfer_status_changed, dispatch_uid="settlement.transfer_status")
        register_check("settled legs tie to the ledger entries of their runs", legs_tie_to_entries)
        register_check("each line's settled basis equals the sum of its legs", settled_basis_is_sum_of_legs)
        register_check("no line's settled leg stands below zero", no_leg_is_negative)
        register_check("settled legs name a run, line, payee and account that exist", legs_reference_what_exists)
        register_check("each run's statement totals equal its legs", run_totals_tie_to_legs)
