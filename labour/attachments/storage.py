from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk outside any served folder: they have no URL; the download
    view is the only way to fetch them."""

    def url(self, name):
        raise ValueError("私有存储中的文件没有公开地址，请通过下载视图访问")


class _PrivateStorage(LazyObject):
    """storages["private"], looked up when first used and again after STORAGES
    changes (tests give each test its own folder), instead of once at import."""

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty  # type: ignore[assignment]
