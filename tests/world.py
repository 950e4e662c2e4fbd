"""A small archive with something in every state readers must or must not see."""

from __future__ import annotations

from dataclasses import dataclass

from annotations.models import Annotation
from articles.models import Article, Paragraph
from tests.factories import AnnotationFactory, ArticleFactory, CitationFactory, ParagraphFactory

# Words that appear only in rows readers may not see; no public response may contain them.
SECRETS = {
    "draft article": "Zanzibarquill",
    "withdrawn article": "Quorvexian",
    "draft annotation": "Plimsoddle",
    "published annotation on a draft article": "Gribbleknot",
    "draft tag": "hushwort",
}
PUBLIC_WORD = "Openvale"


@dataclass
class World:
    published: Article
    draft: Article
    withdrawn: Article
    published_note: Annotation
    draft_note: Annotation
    note_on_draft: Annotation


def article_with_text(status: str, title: str, text: str) -> tuple[Article, Paragraph]:
    article = ArticleFactory(title=title, status=status)
    paragraph = ParagraphFactory(article=article, position=1, text=text)
    return article, paragraph


def build_world() -> World:
    published, paragraph = article_with_text(
        Article.Status.PUBLISHED,
        f"{PUBLIC_WORD} budget",
        f"{PUBLIC_WORD} spent the brown fox fund. The dog sleeps.",
    )
    published.tags.add("budget")
    published_note = AnnotationFactory(
        paragraph=paragraph, exact="brown fox", claim_text=f"{PUBLIC_WORD} claim"
    )
    published_note.tags.add("budget")
    CitationFactory(annotation=published_note)
    draft_note = AnnotationFactory(
        paragraph=paragraph,
        exact="dog sleeps",
        status=Annotation.Status.DRAFT,
        claim_text=f"{SECRETS['draft annotation']} claim",
        conclusion=f"{SECRETS['draft annotation']} conclusion",
    )
    draft_note.tags.add(SECRETS["draft tag"])

    draft, draft_paragraph = article_with_text(
        Article.Status.DRAFT,
        f"{SECRETS['draft article']} plan",
        f"{SECRETS['draft article']} hides the brown fox. The dog sleeps.",
    )
    draft.tags.add(SECRETS["draft tag"])
    note_on_draft = AnnotationFactory(
        paragraph=draft_paragraph,
        claim_text=f"{SECRETS['published annotation on a draft article']} claim",
        conclusion=f"{SECRETS['published annotation on a draft article']} conclusion",
    )
    withdrawn, _ = article_with_text(
        Article.Status.WITHDRAWN,
        f"{SECRETS['withdrawn article']} report",
        f"{SECRETS['withdrawn article']} was wrong about the brown fox.",
    )
    return World(published, draft, withdrawn, published_note, draft_note, note_on_draft)
