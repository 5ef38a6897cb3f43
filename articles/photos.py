"""The newsroom's photo library: one Image, reusable as a lead image or in article bodies."""

import logging

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ops.generations import local_cache

from . import images

logger = logging.getLogger(__name__)


class Image(models.Model):
    file = models.ImageField(
        _("bildefil"),
        upload_to=images.upload_path,
        width_field="width",
        height_field="height",
    )
    alt_text = models.CharField(
        _("alternativ tekst"),
        max_length=250,
        help_text=_("Hva bildet viser, for lesere som ikke ser det. Påkrevd."),
    )
    caption = models.TextField(_("bildetekst"), blank=True)
    photographer = models.ForeignKey(
        "articles.Person",
        verbose_name=_("fotograf"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
    )
    credit = models.CharField(
        _("byrå/kreditering"),
        max_length=100,
        blank=True,
        help_text=_("For eksempel «NTB» eller «Reuters». Vises etter fotografens navn."),
    )
    width = models.PositiveIntegerField(_("bredde"), editable=False, default=0)
    height = models.PositiveIntegerField(_("høyde"), editable=False, default=0)
    renditions = models.JSONField(
        _("versjoner"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Hvilken fil versjonene er laget av, og breddene som finnes."),
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bilde")
        verbose_name_plural = _("bilder")

    def __str__(self):
        return self.caption[:80] or self.alt_text

    def save(self, *args, **kwargs):
        replaced = dropped_file(self, "file", "renditions")
        super().save(*args, **kwargs)
        if self.file and not self.has_current_renditions:
            # Once committed: a save that is rolled back leaves no files behind, and the
            # transaction is not held open while the photo is encoded.
            transaction.on_commit(self.ensure_renditions)
        if replaced:
            name, renditions = replaced["file"], replaced["renditions"]
            made_from_it = renditions.get("source") == name
            widths = renditions.get("widths", []) if made_from_it else []
            delete_files_on_commit(name, *images.rendition_names(name, widths))

    @property
    def has_current_renditions(self):
        return bool(self.file) and self.renditions.get("source") == self.file.name

    def update_renditions(self):
        from . import freshness  # it reads the models, which read this one

        self.renditions = {
            "source": self.file.name,
            "widths": images.make_renditions(self.file.name),
        }
        Image.objects.filter(pk=self.pk).update(renditions=self.renditions)
        self.__dict__.pop("sources", None)
        freshness.changed(Image)  # pages may have shown the original meanwhile

    def ensure_renditions(self):
        """Make missing renditions (saving, load_demo); False if impossible. Never on a GET."""
        if self.has_current_renditions:
            return True
        try:
            self.update_renditions()
        except (OSError, ValueError):
            logger.warning("Kunne ikke lage bildeversjoner for %s", self.file.name, exc_info=True)
            return False
        return True

    @property
    def credit_line(self):
        """«Foto: Name / NTB», «Foto: Name» or «Foto: NTB»; empty when nobody is credited."""
        names = [
            part for part in (self.photographer and self.photographer.name, self.credit) if part
        ]
        return f"Foto: {' / '.join(names)}" if names else ""

    def _original_only(self):
        """The original's URL for a photo without current renditions, or None without a file.

        Pages never make renditions (no request writes files or rows); this worker says once
        per photo that they are missing.
        """
        if not self.file:
            return None
        available = self.file.storage.exists(self.file.name)
        if local_cache().add(f"missing-renditions:{self.file.name}", True, timeout=None):
            if available:
                logger.warning("Bildeversjoner mangler for %s; viser originalen", self.file.name)
            else:
                logger.warning("Bildefilen %s finnes ikke; bildet vises ikke", self.file.name)
        return self.file.url if available else None

    @cached_property
    def sources(self):
        """Everything a <picture> needs, or None without a file.

        Renditions are made once the photo's save is committed; until then, the original.
        """
        if not self.has_current_renditions:
            original = self._original_only()
            return original and {"webp": "", "jpeg": "", "src": original, "smallest": original}
        renditions = [
            images.Rendition(
                width=width,
                height=images.scaled_height(width, self.width, self.height),
                format=fmt,
                name=images.rendition_name(self.file.name, width, ext),
            )
            for width in self.renditions["widths"]
            for fmt, ext in (("webp", "webp"), ("jpeg", "jpg"))
        ]

        def srcset(fmt):
            return ", ".join(f"{r.url} {r.width}w" for r in renditions if r.format == fmt)

        jpegs = [r for r in renditions if r.format == "jpeg"]
        fallback = next((r for r in jpegs if r.width >= 640), jpegs[-1])
        return {
            "webp": srcset("webp"),
            "jpeg": srcset("jpeg"),
            "src": fallback.url,
            "smallest": jpegs[0].url,
        }

    @property
    def og_image_url(self):
        """The 1200×630 crop for Open Graph (the original until it is made), or None."""
        if not self.has_current_renditions:
            return self._original_only()
        return self.file.storage.url(images.open_graph_name(self.file.name))

    def figure_html(self, *, alt_text="", caption=""):
        """A <figure> for an article body; the body's sanitiser sees it like any other HTML."""
        return render_to_string(
            "includes/figure.html",
            {"image": self, "alt_text": alt_text, "caption": caption, "lazy": True},
        )


def dropped_file(instance, field_name, *other_fields):
    """The stored row's ``field_name`` (and ``other_fields``) when saving ``instance`` replaces
    or clears that file and no other row of the model still shows it; else None."""
    if instance.pk is None:
        return None
    rows = type(instance)._default_manager
    stored = rows.filter(pk=instance.pk).values(field_name, *other_fields).first()
    if not stored or not stored[field_name]:
        return None
    if stored[field_name] == getattr(instance, field_name).name:
        return None
    if rows.filter(**{field_name: stored[field_name]}).exclude(pk=instance.pk).exists():
        return None
    return stored


def delete_files_on_commit(*names):
    """Remove stored files once the change that dropped them is committed (a rolled-back
    change keeps them): nothing serves a photo its editor replaced or removed."""

    def delete_files():
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)


@receiver(post_delete, sender=Image, dispatch_uid="delete_image_files")
def delete_image_files(sender, instance, **kwargs):
    """Remove the file and its renditions once the deletion is committed (also bulk deletes)."""
    if instance.file.name:
        widths = instance.renditions.get("widths", [])
        delete_files_on_commit(
            instance.file.name, *images.rendition_names(instance.file.name, widths)
        )
