from django.conf import settings

PLATFORM_NAME = "郑州市建设劳务服务平台"


def platform(request):
    return {"PLATFORM_NAME": PLATFORM_NAME, "DEBUG": settings.DEBUG}
