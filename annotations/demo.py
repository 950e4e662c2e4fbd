"""Demo annotations for the sample article.

Each verdict rests only on what the note says. Where a claim could not be checked
against a primary record, it is rated Unverifiable and the note names the evidence
that would settle it. Reference URLs are given only where the page is known to exist.
"""

from __future__ import annotations

WIKIPEDIA_UNREST = "https://en.wikipedia.org/wiki/2022_Kazakh_unrest"
WIKIPEDIA_TOKAYEV = "https://en.wikipedia.org/wiki/Kassym-Jomart_Tokayev"
WIKIPEDIA_JACKSON_VANIK = "https://en.wikipedia.org/wiki/Jackson%E2%80%93Vanik_amendment"

SOURCES = {
    "unrest": {
        "url": WIKIPEDIA_UNREST,
        "title": "2022 Kazakh unrest",
        "publisher": "Wikipedia",
        "kind": "reference",
    },
    "tokayev": {
        "url": WIKIPEDIA_TOKAYEV,
        "title": "Kassym-Jomart Tokayev",
        "publisher": "Wikipedia",
        "kind": "reference",
    },
    "jackson-vanik": {
        "url": WIKIPEDIA_JACKSON_VANIK,
        "title": "Jackson–Vanik amendment",
        "publisher": "Wikipedia",
        "kind": "reference",
    },
    "constitution": {
        "url": None,
        "title": "Constitution of the Republic of Kazakhstan (adopted 30 August 1995, as amended)",
        "publisher": "Republic of Kazakhstan",
        "kind": "legal",
    },
    "treaty-1998": {
        "url": None,
        "title": (
            "Treaty between the Republic of Kazakhstan and the Russian Federation on Eternal Friendship "
            "and Alliance Oriented to the 21st Century (6 July 1998)"
        ),
        "publisher": "Republic of Kazakhstan; Russian Federation",
        "kind": "legal",
    },
}

# paragraph: 0 is the lede, 1..14 the body paragraphs.
ANNOTATIONS = [
    {
        "paragraph": 1,
        "exact": (
            "the Anglo-Saxons began to view the new post-Soviet states from the same perspective as the "
            "countries of Africa – as their own colonies with no prospects for development"
        ),
        "kind": "claim",
        "rating": "opinion",
        "claim_text": "After 1991 'the Anglo-Saxons' viewed the post-Soviet states as their own colonies.",
        "conclusion": "A characterisation of Western motives, not a checkable statement of fact.",
        "body": (
            "The sentence ascribes an intention to unnamed Western actors. The article offers no evidence "
            "for it, and an intention of this kind cannot be confirmed or refuted by a fact-check. It is "
            "marked as opinion so that readers can tell it apart from the factual claims that follow."
        ),
        "tags": ["western-influence", "framing"],
    },
    {
        "paragraph": 4,
        "exact": "President Kassym-Jomart Tokayev who received full power in the republic in January 2022",
        "kind": "claim",
        "rating": "misleading",
        "claim_text": "Tokayev received full power in Kazakhstan in January 2022.",
        "conclusion": (
            "Tokayev has been President since March 2019; in January 2022 he took over the chairmanship "
            "of the Security Council from Nursultan Nazarbayev."
        ),
        "body": (
            "Tokayev became President when Nursultan Nazarbayev resigned in March 2019 and was elected in "
            "June 2019. Nazarbayev kept the chairmanship of the Security Council until January 2022, when "
            "Tokayev took it over during the unrest. Saying that Tokayev 'received full power' in 2022 "
            "describes the end of that dual arrangement, but reads as if he had not held the presidency "
            "before."
        ),
        "sources": ["tokayev", "unrest"],
        "tags": ["kazakhstan", "tokayev"],
    },
    {
        "paragraph": 4,
        "exact": (
            "“the land and its subsoil, water, flora and fauna, and other natural resources belong to "
            "the people”"
        ),
        "kind": "claim",
        "rating": "unverifiable",
        "claim_text": (
            "Article 6(3) of Kazakhstan's Constitution says the land, subsoil, water, flora, fauna and "
            "other natural resources belong to the people."
        ),
        "conclusion": "Not checked against the current official text of the Constitution.",
        "body": (
            "The wording of Article 6 was changed by the constitutional amendments of 2022, so the quote "
            "depends on which version is meant. What would settle it: the current official text of "
            "Article 6, paragraph 3, in the consolidated Constitution published by the Government of "
            "Kazakhstan, compared with the quoted words."
        ),
        "sources": ["constitution"],
        "tags": ["kazakhstan", "constitution", "natural-resources"],
    },
    {
        "paragraph": 4,
        "exact": "paragraph 3 of Article 6 of the Constitution of the Republic of Kazakhstan",
        "kind": "source",
        "body": (
            "The statement rests on the Constitution of the Republic of Kazakhstan. Its Kazakh and "
            "Russian texts are authoritative; English versions are translations."
        ),
        "sources": ["constitution"],
        "tags": ["constitution"],
    },
    {
        "paragraph": 5,
        "exact": (
            "The corresponding “road map” was signed in London by the Minister of Industry and Economic "
            "Security of the United Kingdom Nusrat Ghani and the Vice Minister of Industry and "
            "Construction of the Republic of Kazakhstan Iran Sharhan."
        ),
        "kind": "claim",
        "rating": "unverifiable",
        "claim_text": (
            "In March 2024 a UK–Kazakhstan road map on critical minerals was signed in London by Nusrat "
            "Ghani and Iran Sharhan."
        ),
        "conclusion": "Not verified: no official record of the signing was checked.",
        "body": (
            "What would settle it: the announcement of the signing by the UK Department for Business and "
            "Trade or by Kazakhstan's Ministry of Industry and Construction, giving the date, the place "
            "and the signatories."
        ),
        "tags": ["united-kingdom", "critical-minerals"],
    },
    {
        "paragraph": 6,
        "exact": (
            "In total according to open data today over 550 British companies and firms operate in Kazakhstan"
        ),
        "kind": "claim",
        "rating": "unverifiable",
        "claim_text": "More than 550 British companies operate in Kazakhstan.",
        "conclusion": "The article does not say which 'open data'; the figure was not verified.",
        "body": (
            "What would settle it: a dated count of registered legal entities with British participation "
            "from Kazakhstan's Bureau of National Statistics, or a dated official statement by the UK or "
            "Kazakh government giving the figure."
        ),
        "tags": ["united-kingdom", "foreign-investment"],
    },
    {
        "paragraph": 7,
        "exact": "calls have been heard to repeal the Jackson-Vanik Amendment for Kazakhstan and Uzbekistan",
        "kind": "claim",
        "rating": "unverifiable",
        "claim_text": "Calls were made in the US Congress to repeal the Jackson–Vanik amendment for Kazakhstan and Uzbekistan.",
        "conclusion": "Not verified: the article names no bill, member of Congress or date.",
        "body": (
            "The Jackson–Vanik amendment (1974) ties normal trade relations with certain countries to "
            "freedom of emigration. What would settle the claim: a bill or statement recorded in the "
            "Congressional Record or on congress.gov, around January 2025, proposing to end the "
            "amendment's application to Kazakhstan and Uzbekistan."
        ),
        "sources": ["jackson-vanik"],
        "tags": ["united-states", "trade"],
    },
    {
        "paragraph": 9,
        "exact": "in an interview with the Egemen Qazaqstan newspaper on January 3, 2024",
        "kind": "claim",
        "rating": "unverifiable",
        "claim_text": (
            "In an interview with Egemen Qazaqstan on 3 January 2024 Tokayev said Kazakhstan's closest "
            "partners are Russia and China."
        ),
        "conclusion": "The quotation was not compared with the published interview.",
        "body": (
            "What would settle it: the text of the interview as published by Egemen Qazaqstan or on the "
            "President's official website, compared with the words the article quotes."
        ),
        "tags": ["kazakhstan", "tokayev", "foreign-policy"],
    },
    {
        "paragraph": 10,
        "exact": "then US Secretary of State Anthony Blinken",
        "kind": "note",
        "body": (
            "The Secretary of State's name is spelled Antony Blinken. He held the office until January "
            "2025, hence 'then' Secretary of State."
        ),
        "tags": ["united-states"],
    },
    {
        "paragraph": 12,
        "exact": (
            "the Treaty of Eternal Friendship and Cooperation concluded between Russia and Kazakhstan in 1998"
        ),
        "kind": "claim",
        "rating": "mostly-true",
        "claim_text": "Russia and Kazakhstan concluded a Treaty of Eternal Friendship and Cooperation in 1998.",
        "conclusion": (
            "The treaty was signed on 6 July 1998; its title is 'on Eternal Friendship and Alliance "
            "Oriented to the 21st Century'."
        ),
        "body": "The date is right; the article gives the treaty's title inexactly.",
        "sources": ["treaty-1998"],
        "tags": ["russia", "kazakhstan", "treaties"],
    },
    {
        "paragraph": 13,
        "exact": "it was at Tokayev’s request that CSTO (read Russia’s) troops were brought into Kazakhstan in January 2022",
        "kind": "claim",
        "rating": "true",
        "claim_text": "CSTO troops entered Kazakhstan in January 2022 at President Tokayev's request.",
        "conclusion": (
            "Tokayev asked the CSTO for help on 5 January 2022; a mainly Russian contingent was deployed "
            "and withdrew later that month."
        ),
        "body": (
            "The article's description of the purpose, 'to prevent a coup d'état', repeats the Kazakh "
            "authorities' own account of the January events; that account is contested and is not "
            "rated here."
        ),
        "sources": ["unrest"],
        "tags": ["csto", "russia", "kazakhstan"],
    },
    {
        "paragraph": 14,
        "exact": "the state visit of President Putin to Kazakhstan at the end of November 2024",
        "kind": "claim",
        "rating": "true",
        "claim_text": "Putin paid a state visit to Kazakhstan at the end of November 2024.",
        "conclusion": "Putin made a state visit to Astana on 27–28 November 2024, alongside the CSTO summit there.",
        "body": (
            "The visit and the CSTO summit in Astana that followed it were widely reported. The official "
            "records of the Kremlin and of the President of Kazakhstan give the programme."
        ),
        "tags": ["russia", "kazakhstan"],
    },
    {
        "paragraph": 11,
        "exact": "Kazakhstan is in no hurry to apply for membership in this association.",
        "kind": "note",
        "body": (
            "Context: the article does not date this statement. Statements by Kazakh officials around the "
            "BRICS summit in Kazan in October 2024 are the record against which to read it."
        ),
        "tags": ["brics", "foreign-policy"],
    },
]

ARTICLE_TAGS = ["kazakhstan", "foreign-policy", "russia", "critical-minerals"]
