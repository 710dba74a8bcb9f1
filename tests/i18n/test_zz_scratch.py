# ruff: noqa
from dataclasses import replace
from tests.i18n.test_german_conversation import (
    User,
    _quick_check,
    _iteration,
    GERMAN_NAMES,
    english_lines,
)
from tests.support.conversation import Conversation


async def test_print(personal: Conversation) -> None:
    user = User(replace(personal, locale="de-DE"), "de")
    await _quick_check(user, GERMAN_NAMES["quick check"])
    await _iteration(user, GERMAN_NAMES)
    with open("/tmp/dec/lines.txt", "w") as f:
        for line in english_lines(user.seen):
            f.write(line + "\n")
        f.write("=====ALL\n")
        for t in user.seen:
            f.write(t + "\n----\n")


async def test_print_more(personal: Conversation) -> None:
    user = User(replace(personal, locale="de-DE"), "de")
    for text in [
        "hilfe",
        "katalog",
        "katalog 2",
        "blabla",
        "bewerten Contoso",
        "vielleicht",
        "zurück",
        "abbrechen",
        "kunden",
        "sprache",
        "sprache fr",
        "status Unbekannt",
        "bereitschaft",
        "verlauf Contoso",
        "kontakte Contoso",
    ]:
        await user.say(text)
    with open("/tmp/dec/more.txt", "w") as f:
        for line in english_lines(user.seen):
            f.write(line + "\n")
        f.write("=====ALL\n")
        for t in user.seen:
            f.write(t + "\n----\n")


async def test_print_welcome(personal: Conversation) -> None:
    from tests.support.conversation import BOT_ID
    from tests.support.cards import texts

    german = replace(personal, locale="de-DE")
    await german.post(german.activity(type="conversationUpdate", membersAdded=[{"id": BOT_ID}]))
    sent = german.connector.messages(german.conversation_id)
    out = [s.text or "" for s in sent] + [texts(c) for s in sent for c in s.cards]
    user = User(german, "de")
    for text in [
        "bewerten Contoso",
        "ja",
        "was",
        "1",
        "abbrechen",
        "schnellcheck",
        "abbrechen",
        "touch",
        "lizenzen",
        "kontakt Contoso anruf: x",
    ]:
        await user.say(text)
    with open("/tmp/dec/welcome.txt", "w") as f:
        f.write("\n----\n".join(out + user.seen))


async def test_print_bad(personal: Conversation) -> None:
    german = replace(personal, locale="de-DE")
    user = User(german, "de")
    await _quick_check(user, "schnellcheck")
    cmds = [
        "katalog xyz",
        "bewerten",
        "vereinbaren",
        "liefern",
        "sicherstellen",
        "status",
        "erfolgsplan",
        "verlauf",
        "bericht",
        "kontakt",
        "verlängerung",
        "lizenzen Contoso x y",
        "erinnerungen pausieren morgen",
        "erinnerungen fortsetzen",
        "tagesübersicht",
        "tagesübersicht an",
        "portfolio xyz",
        "gesundheit",
        "kennzahlen xyz",
        "kontakte",
        "rückgängig",
        "rückgängig lieferung Contoso",
        "briefing",
        "bereitschaft xyz",
        "exportieren",
        "importieren",
        "kunden",
        "sprache en",
        "sprache de",
        "lebenszyklus Contoso xyz",
        "leistungsbeschreibung Contoso",
        "verlängerung Contoso 31. März 2027",
        "verlängerung Contoso gestern",
        "bewerten Contoso",
        "vielleicht",
        "ja",
        "5",
        "2",
        "zurück",
        "abbrechen",
        "lizenzen Contoso 500 320",
        "kontakt Contoso anruf: alles gut",
        "rückgängig kontakt Contoso",
        "vereinbaren Contoso",
        "1",
        "abbrechen",
    ]
    for text in cmds:
        await user.say(text)
    with open("/tmp/dec/bad.txt", "w") as f:
        for line in english_lines(user.seen):
            f.write(line + "\n")
        f.write("=====ALL\n")
        for t in user.seen:
            f.write(t + "\n----\n")
