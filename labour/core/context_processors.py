from django.conf import settings


def platform(request):
    return {"PLATFORM_NAME": "郑州市建设劳务服务平台", "DEBUG": settings.DEBUG}
