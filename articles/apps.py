from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate, post_save, pre_save


def render_body_on_raw_save(sender, instance, raw, **kwargs):
    # loaddata saves with raw=True, which skips Article.save(); the stored HTML must still be
    # rendered from the body markup so fixtures never carry their own HTML.
    if raw:
        instance.render_body()


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Redaksjon"

    def ready(self):
        from PIL import Image

        from . import freshness
        from .demo import demo_photo_loaded
        from .models import Article
        from .models import Image as Photo
        from .permissions import name_permissions_in_norwegian
        from .revisions import register_revisioned_models

        # Pillow's own decompression-bomb guard, at the same limit uploads are checked against.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_UPLOAD_MAX_PIXELS

        pre_save.connect(render_body_on_raw_save, sender=Article, dispatch_uid="render_body_raw")
        post_save.connect(demo_photo_loaded, sender=Photo, dispatch_uid="demo_photo_loaded")
        register_revisioned_models()
        # Connected after django.contrib.auth's handler (earlier in INSTALLED_APPS), so it sees
        # the permissions that handler has just made.
        post_migrate.connect(name_permissions_in_norwegian, dispatch_uid="norwegian_permissions")
        freshness.connect(self)
