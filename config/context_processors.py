from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SITE_NAME}


def canonical(request):
    # The configured public address, not the Host header, so a page has one canonical URL.
    return {"SITE_URL": settings.SITE_URL, "canonical_url": f"{settings.SITE_URL}{request.path}"}
