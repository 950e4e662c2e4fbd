from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research"

    def ready(self) -> None:
        from articles import changes

        from . import index

        # The search index follows every change to content (articles/changes.py).
        changes.follow(index.follow)
