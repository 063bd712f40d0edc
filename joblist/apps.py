from django.apps import AppConfig


class JoblistConfig(AppConfig):
    name = "joblist"
    verbose_name = "JobLIST"
