from __future__ import annotations

import datetime

import pytest

from articles.importing import parse_file

LONG_RU = (
    "Цены на газ в Европе за последний месяц выросли почти вдвое, и правительства снова обсуждают, "
    "как защитить домохозяйства от счетов за отопление."
)
LONG_RU_2 = (
    "Эксперты считают, что без новых долгосрочных контрактов и вложений в хранилища рынок останется "
    "нервным как минимум до конца следующей зимы."
)
# A news page copied from the browser and saved in Windows-1251: rubric, headline, date, a subheading
# with its source line, then the text.
SCRAPED_RU = f"""Экономика
Кризис в энергетике: что дальше

12 марта 2025

Почему растут цены на газ
Источник: ТАСС

{LONG_RU}

Фото: РИА Новости

{LONG_RU_2}
"""


def texts(parsed) -> list[str]:
    return [paragraph.text for paragraph in parsed.paragraphs]


def test_a_scraped_russian_page_loses_its_rubric_and_source_line():
    parsed = parse_file("gaz.txt", SCRAPED_RU.encode("cp1251"))
    assert parsed.encoding == "cp1251"
    assert parsed.title == "Кризис в энергетике: что дальше"
    assert parsed.published_on == datetime.date(2025, 3, 12)
    assert texts(parsed) == ["Почему растут цены на газ", LONG_RU, LONG_RU_2]
    assert sorted(parsed.removed) == sorted(["Экономика", "Источник: ТАСС", "Фото: РИА Новости"])


@pytest.mark.parametrize(
    "line", ["Source: Reuters", "Источник: ТАСС", "Photo: AP", "Фото: Иван Петров", "Sources: AFP"]
)
def test_a_short_attribution_line_between_lines_is_furniture_and_nothing_is_joined_across_it(line):
    text = f"Gas prices\n\nWhy prices are rising\n{line}\nThe first short line of the text\n"
    parsed = parse_file("gas.txt", text.encode())
    assert texts(parsed) == ["Why prices are rising", "The first short line of the text"]
    assert parsed.removed == [line]


def test_a_sentence_that_starts_with_source_is_kept():
    line = "Source: the ministry's own figures, published last spring, show the forecasts were too rosy."
    parsed = parse_file("gas.txt", f"Gas prices\n\n{line}\n".encode())
    assert texts(parsed) == [line]


def test_an_english_rubric_above_the_headline_is_removed():
    text = "Opinion\nWhy bridges matter\n\nBridges are the quiet backbone of every economy.\n"
    parsed = parse_file("b.txt", text.encode())
    assert (parsed.title, parsed.removed) == ("Why bridges matter", ["Opinion"])


def test_a_hard_wrapped_title_is_not_taken_for_a_rubric():
    parsed = parse_file(
        "t.txt", "Многовекторная политика\nпо-казахски\n\nТекст статьи начинается здесь.\n".encode()
    )
    assert parsed.title == "Многовекторная политика по-казахски"
    assert parsed.removed == []


def test_a_date_above_the_headline_is_read_as_the_date_not_removed_as_a_rubric():
    parsed = parse_file("t.txt", b"2025-03-12\nWhy bridges matter\n\nBridges are the quiet backbone.\n")
    assert parsed.published_on == datetime.date(2025, 3, 12)
    assert parsed.removed == []


STEPPE_HERALD = """THE STEPPE HERALD | Opinion
Subscribe   Log in
Share on Facebook  Share on Twitter

Grain corridors and the politics of the Caspian

By Aigerim Nurlanovna, economics columnist
12 March 2025, 09:14   ·   1,204 views

The Caspian route carried more grain last year than at any point since the ports were rebuilt, and the ministry says the figure will double by 2027.

Farmers in the north, however, say the tariffs agreed in Astana leave them worse off than before the corridor opened.

Photo: Reuters
Cookies help us deliver our services. Accept all cookies
"""


def test_a_dateline_with_a_view_counter_gives_the_date_and_is_not_a_paragraph():
    parsed = parse_file("steppe-herald.txt", STEPPE_HERALD.encode())
    assert parsed.title == "Grain corridors and the politics of the Caspian"
    assert (parsed.author_name, parsed.author_role) == ("Aigerim Nurlanovna", "economics columnist")
    assert parsed.published_on == datetime.date(2025, 3, 12)
    assert [p.text[:20] for p in parsed.paragraphs] == ["The Caspian route ca", "Farmers in the north"]
