"""The body sanitiser alone (articles.markup.sanitise_html), fed raw HTML.

The markdown parser never emits raw HTML, so these tests go round it: whatever reaches the
sanitiser, only the elements and attributes listed here may come out. The lists are written
out again on purpose; a tag or attribute added to the sanitiser fails here until someone
decides it belongs on the page.
"""

from html.parser import HTMLParser

import pytest

from articles.markup import sanitise_html

ALLOWED = {
    "p": {"class"},
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "blockquote": set(),
    "ul": set(),
    "ol": {"start"},
    "li": set(),
    "strong": set(),
    "em": set(),
    "a": {"href", "title", "rel"},
    "br": set(),
    "hr": set(),
    "code": set(),
    "pre": set(),
    "figure": set(),
    "figcaption": set(),
    "picture": set(),
    "source": {"srcset", "sizes", "type"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
}

# Every element of the HTML standard, plus SVG and MathML entry points.
HTML_ELEMENTS = """
a abbr address area article aside audio b base bdi bdo blockquote body br button canvas
caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed
fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
img input ins kbd label legend li link main map mark math menu meta meter nav noscript object
ol optgroup option output p picture portal pre progress q rp rt ruby s samp script search
section select slot small source span strong style sub summary sup svg table tbody td template
textarea tfoot th thead time title tr track u ul var video wbr xmp plaintext frameset frame
applet marquee
""".split()  # noqa: SIM905 - as the standard's index lists them
ATTRIBUTES = (
    'id="x" class="dash-quote" style="color:red" onclick="alert(1)" onerror="alert(1)" '
    'href="https://example.no/" src="/media/bilder/a.jpg" srcset="/media/bilder/a.jpg 320w" '
    'title="t" name="n" target="_blank" width="1" height="1" alt="a" loading="lazy" '
    'decoding="async" sizes="100vw" type="image/webp" start="2" action="/x" formaction="/x" '
    'lang="en" data-x="1" xmlns="http://www.w3.org/2000/svg" srcdoc="&lt;script&gt;"'
)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//example.com/xss.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<img src="/media/bilder/a.jpg" onerror="alert(1)">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)"></style></math>',
    '<a href="javascript:alert(1)">klikk</a>',
    '<a href="JaVaScRiPt:alert(1)">klikk</a>',
    '<a href="&#106;avascript:alert(1)">klikk</a>',
    '<a href="jav&#x09;ascript:alert(1)">klikk</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klikk</a>',
    '<a href="vbscript:msgbox(1)">klikk</a>',
    '<iframe src="https://example.com"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://example.com"><input name="q"><button formaction="x">Send</button>',
    '<p style="background:url(javascript:alert(1))">tekst</p>',
    '<p class="dash-quote evil">tekst</p>',
    '<div onmouseover="alert(1)">tekst</div>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    '<video><source onerror="alert(1)"></video>',
    '<body onload="alert(1)">',
    '<base href="https://example.com/">',
    '<meta http-equiv="refresh" content="0;url=https://example.com">',
    '<link rel="stylesheet" href="https://example.com/x.css">',
    "<style>body { display: none }</style>",
    '<img src="https://example.com/tracker.gif">',
    '<img srcset="https://example.com/a.jpg 1x">',
    '<img src="/media/../etc/passwd">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="https://example.no/" target="_blank" rel="opener">lenke</a>',
]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_only_allowed(html):
    for tag, attributes in elements(html):
        assert tag in ALLOWED, f"<{tag}> got through: {html}"
        extra = set(attributes) - ALLOWED[tag]
        assert not extra, f"<{tag}> kept {sorted(extra)}: {html}"
        for value in attributes.values():
            assert "script:" not in (value or "").lower().replace(" ", ""), html
        if "class" in attributes:
            assert attributes["class"] == "dash-quote", html
        if tag == "a":
            assert attributes.get("rel") == "noopener noreferrer", html
            href = attributes.get("href", "https:")
            assert href.startswith(("https:", "http:", "mailto:")), html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_html_leaves_only_allowed_markup(payload):
    cleaned = sanitise_html(payload)
    assert_only_allowed(cleaned)
    assert "alert(1)" not in "".join(
        value or "" for _, attributes in elements(cleaned) for value in attributes.values()
    )


@pytest.mark.parametrize("tag", HTML_ELEMENTS)
def test_no_element_or_attribute_beyond_the_lists_survives(tag):
    cleaned = sanitise_html(f"<{tag} {ATTRIBUTES}>tekst</{tag}>")
    assert_only_allowed(cleaned)
    if tag in ALLOWED:
        assert elements(cleaned)[0][0] == tag  # an allowed element is kept, not emptied


def test_allowed_markup_comes_through_as_written():
    html = (
        '<p class="dash-quote">– Sitat</p><h2>Mellomtittel</h2>'
        '<ol start="3"><li><strong>fet</strong> og <em>kursiv</em></li></ol>'
        '<a href="https://dagsavisen.no/" title="Forsiden">lenke</a>'
    )
    assert sanitise_html(html) == html.replace(
        'title="Forsiden">', 'title="Forsiden" rel="noopener noreferrer">'
    )
