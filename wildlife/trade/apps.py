from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "wildlife.trade"
    label = "trade"
    verbose_name = _("网络交易监测")
