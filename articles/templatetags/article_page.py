from django import template
from django.utils.safestring import mark_safe

from articles.jinja import jinja

from .addresses import tag_url

register = template.Library()


@register.simple_tag(takes_context=True)
def article_main(context, article):
    """The article on its page: templates/jinja2/article_main.html. Jinja2, not Django's
    engine, which took a tenth of a first render's CPU for this piece. The PFU rulings and
    the updates (few articles have any) are Django's includes, rendered as ``{% include %}``
    renders them."""
    rulings, updates = article.shown_pfu_rulings, article.shown_updates
    html = (
        jinja()
        .get_template("article_main.html")
        .render(
            article=article,
            section=article.section,
            people=article.ordered_bylines(),
            image=article.lead_image,
            tags=article.tags.all(),
            tag_url=tag_url,
            pfu_breaches=pfu_notices(context, rulings, breaches=True),
            pfu_other=pfu_notices(context, rulings, breaches=False),
            updates=include(context, "includes/article_updates.html", updates=updates)
            if updates
            else "",
        )
    )
    return mark_safe(html)  # noqa: S308 - the template escapes every value it prints


def pfu_notices(context, rulings, *, breaches):
    if not rulings:
        return ""
    return include(context, "includes/pfu_notices.html", rulings=rulings, breaches=breaches)


def include(context, name, **values):
    """What ``{% include name with values %}`` writes where the tag stands."""
    with context.push(**values):
        return mark_safe(context.template.engine.get_template(name).render(context))  # noqa: S308
