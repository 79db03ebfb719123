from django.apps import AppConfig


class ChannelsUiConfig(AppConfig):
    name = "channels_ui"
    verbose_name = "Luminous channels"
