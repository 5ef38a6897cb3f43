from django.conf import settings


def client_ip_address(request):
    """The reader's address: the one the outermost trusted proxy saw, else the socket's.

    Each proxy appends the address it received from to X-Forwarded-For, so with N trusted
    proxies the Nth entry from the right is the last one a client could not forge.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
