import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what a service queues for after commit (letters, message batches), as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
