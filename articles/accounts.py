"""How a new colleague sets the first password: Django's one-time password reset link."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def password_set_path(user):
    """A link that lets ``user`` choose a password once, until ``PASSWORD_RESET_TIMEOUT``."""
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def password_link_days():
    return round(settings.PASSWORD_RESET_TIMEOUT / 86400)
