"""Reading pages the way a reader sees them: text by element, using the standard library parser."""

from html.parser import HTMLParser

VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.elements = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            self.elements.append({"tag": tag, "attrs": dict(attrs), "text": ""})
            return
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.stack.append(element)
        self.elements.append(element)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data


def elements(html, tag=None, **attrs):
    """All elements (document order) with their whole text, optionally filtered."""
    collector = _Collector()
    collector.feed(html)
    found = []
    for element in collector.elements:
        if tag and element["tag"] != tag:
            continue
        if any(element["attrs"].get(name) != value for name, value in attrs.items()):
            continue
        found.append({**element, "text": " ".join(element["text"].split())})
    return found


def texts(html, tag, **attrs):
    return [element["text"] for element in elements(html, tag, **attrs)]
