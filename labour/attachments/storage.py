from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk outside any served folder: they have no URL; the download
    view is the only way to fetch them."""

    def url(self, name):
        raise ValueError("私有存储中的文件没有公开地址，请通过下载视图访问")
