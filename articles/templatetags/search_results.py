"""A search result's teaser is the same for every query; only its snippet is not.

``{% with_snippet %}`` lets the teaser be kept in the fragments cache (per article version, as
other teasers are) and puts the query's snippet into it afterwards.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# Where the snippet goes: markup that escaped article text can never contain.
SNIPPET_SLOT = mark_safe("<!--search-snippet-->")


class SnippetNode(template.Node):
    def __init__(self, snippet, nodelist):
        self.snippet = snippet
        self.nodelist = nodelist

    def render(self, context):
        snippet = conditional_escape(self.snippet.resolve(context))
        with context.push(snippet=SNIPPET_SLOT):
            html = self.nodelist.render(context)
        return mark_safe(html.replace(SNIPPET_SLOT, snippet))  # noqa: S308 - both parts safe


@register.tag
def with_snippet(parser, token):
    """``{% with_snippet value %}…{% endwith_snippet %}``: the block, rendered with ``snippet``
    set to a slot, with ``value`` (escaped unless marked safe) in that slot."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the snippet")
    nodelist = parser.parse(("endwith_snippet",))
    parser.delete_first_token()
    return SnippetNode(parser.compile_filter(bits[1]), nodelist)
