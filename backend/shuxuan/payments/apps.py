from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "shuxuan.payments"
    label = "payments"
    verbose_name = "Payments (Stripe)"
