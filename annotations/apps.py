from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self) -> None:
        from articles import changes

        from . import following, summaries

        # Annotations follow their text through every change (articles/changes.py). Registered
        # before the research app's follower (INSTALLED_APPS order), which indexes the outcome.
        changes.follow(following.follow)
        # Then the counts the reader pages show (annotations/summaries.py).
        changes.follow(summaries.follow)
