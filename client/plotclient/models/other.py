"""Python-only registered names (MODELS.md 4.17).  Nothing in a page needs them; they
exist so that documents holding them load and re-dump."""

from ..model import Model


class ChartOptions(Model):
    pass


class CrossFilter(Model):
    pass


class AppLayout(Model):
    pass
