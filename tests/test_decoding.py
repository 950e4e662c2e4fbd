from __future__ import annotations

import pytest

from articles.importing import parse_file
from articles.importing.decoding import decode

SPANISH = (
    "España y el año que viene\n\n"
    "El Gobierno de España aprobó ayer los presupuestos para el año próximo, después de meses de negociación. "
    "La oposición criticó que el crecimiento económico previsto es demasiado optimista y que los niños de las "
    "familias más pobres no recibirán ayudas suficientes.\n"
)
SPANISH_QUESTION = (
    "¿Quién pagará la cuenta?\n\nEl año próximo, España tendrá que decidir quién paga la cuenta.\n"
)
GERMAN = (
    "Die Brücken der Stadt\n\n"
    "Die Bürgermeisterin hat am Dienstag erklärt, dass die maroden Brücken über den Fluss in den nächsten "
    "fünf Jahren saniert werden müssen. Für die Straßen der Außenbezirke gibt es dagegen kein Geld.\n"
)
FRENCH = (
    "La politique des ponts\n\n"
    "Les ponts sont l'épine dorsale discrète de l'économie, et leur entretien relève d'un débat public que "
    "trop peu d'électeurs suivent. Où est passé l'argent promis à la région pour cette œuvre ?\n"
)
PORTUGUESE = (
    "A política das pontes\n\n"
    "As pontes são a espinha dorsal discreta da economia, e a manutenção delas é uma questão pública que "
    "poucos eleitores acompanham. Não há solução fácil para o problema das regiões.\n"
)
POLISH = (
    "Polityka mostów\n\n"
    "Mosty są cichym kręgosłupem każdej gospodarki, a ich utrzymanie to sprawa publiczna, którą śledzi zbyt "
    "mało wyborców. Żółta łódź płynęła po rzece, gdy minister powiedział, że jeszcze nic nie wiadomo.\n"
)
CZECH = (
    "Politika mostů\n\n"
    "Mosty jsou tichou páteří každé ekonomiky a jejich údržba je veřejnou věcí, kterou sleduje příliš málo "
    "voličů. Ministr řekl, že rozpočet na příští rok ještě není hotový.\n"
)
HUNGARIAN = (
    "A hidak politikája\n\n"
    "A hidak minden gazdaság csendes gerincét alkotják, és a fenntartásuk olyan közügy, amelyet kevés "
    "választó követ figyelemmel. A miniszter szerint a jövő évi költségvetés még nem készült el.\n"
)
RUSSIAN = (
    "Политика мостов\n\n"
    "Мосты - тихая основа любой экономики, и их содержание касается всех, кто ездит на работу каждый день. "
    "Министр заявил, что бюджет на следующий год ещё не готов.\n"
)


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (SPANISH, "latin-1", "cp1252"),
        (SPANISH, "cp1252", "cp1252"),
        (SPANISH_QUESTION, "latin-1", "cp1252"),
        (GERMAN, "latin-1", "cp1252"),
        (FRENCH, "cp1252", "cp1252"),
        (PORTUGUESE, "cp1252", "cp1252"),
        (POLISH, "cp1250", "cp1250"),
        (POLISH, "iso8859-2", "iso8859-2"),
        (CZECH, "cp1250", "cp1250"),
        (HUNGARIAN, "cp1250", "cp1250"),
        (RUSSIAN, "cp1251", "cp1251"),
        (RUSSIAN, "koi8-r", "koi8-r"),
    ],
)
def test_legacy_encoded_paragraphs_decode_to_the_right_text_and_encoding(text, encoding, expected):
    assert decode(text.encode(encoding)) == (text, expected)


def test_a_spanish_latin_1_file_imports_without_garbled_letters():
    parsed = parse_file("presupuestos.txt", SPANISH.encode("latin-1"))
    assert parsed.title == "España y el año que viene"
    assert "niños" in parsed.paragraphs[0].text
    assert parsed.encoding == "cp1252"
