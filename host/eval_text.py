"""A varied evaluation set, written for the kit: sentences unlike the template grammar that
calibrates the quantizer (`host.sentences`), so fidelity figures measured on it are not flattered
by sentences that all look alike.

Each category holds what real use throws at a sentence encoder: questions, numbers and units,
names, code and URLs, punctuation-heavy text, long compound sentences, very short inputs, and
pairs of near-paraphrases (consecutive entries) beside unrelated text. From 1 to about 120 tokens.
"""

from __future__ import annotations

QUESTIONS = [
    "What time does the last train to Edinburgh leave on Sundays?",
    "Can you recommend a good book about the history of mathematics?",
    "How many grams of flour do I need for twelve pancakes?",
    "Why is the sky blue during the day but red at sunset?",
    "Is it normal for a cat to sleep sixteen hours a day?",
    "Which programming language should a beginner learn first?",
    "Did anyone find the keys I left in the meeting room yesterday?",
    "Where is the nearest pharmacy that is open after midnight?",
    "Who wrote the theme music for that old science fiction series?",
    "How do vaccines train the immune system to recognise a virus?",
    "Should I water succulents more often in summer?",
    "What's the difference between a latte and a flat white?",
    "Could the meeting be moved to Thursday afternoon instead?",
    "When did humans first domesticate horses?",
    "Are electric cars really cheaper to run over ten years?",
    "How does a bill become a law in a parliamentary system?",
    "Why do my headphones crackle only in the left ear?",
    "Is there a vegetarian option on the conference dinner menu?",
    "What happens if I miss the deadline for the tax return?",
    "How far is the Moon from the Earth, roughly?",
]

NUMBERS = [
    "The package weighs 2.35 kg and measures 40 x 30 x 12 cm.",
    "Inflation rose to 3.7% in March, up from 3.1% a year earlier.",
    "Take 500 mg twice a day, with food, for 7 days.",
    "The marathon record is 2:00:35, set in Chicago in October 2023.",
    "Our server handled 12,480 requests per second at peak load.",
    "The recipe needs 250 ml of milk, 2 eggs and 1/2 tsp of salt.",
    "Flight BA 287 departs at 14:05 from gate 23B.",
    "The apartment is 68 square metres and costs EUR 1,450 per month.",
    "Water boils at 100 degrees Celsius at sea level, or 212 Fahrenheit.",
    "The invoice total is $4,982.17, due within 30 days.",
    "Version 2.4.1 fixes 17 bugs and improves startup time by 40 percent.",
    "The bridge spans 1,280 metres and opened on 27 May 1937.",
    "Room 4.012 seats 120 people; the projector uses HDMI only.",
    "Set the oven to 180C (fan 160C) and bake for 35-40 minutes.",
    "In 2019 the city recorded 843 mm of rain, 12% above average.",
    "A 5G phone downloaded 1.2 GB in about 9 seconds.",
]

NAMES = [
    "Marie Curie won Nobel Prizes in both physics and chemistry.",
    "Ada Lovelace wrote what many consider the first computer program.",
    "Kofi Annan served as Secretary-General of the United Nations.",
    "Frida Kahlo painted many self-portraits in Coyoacan, Mexico City.",
    "Haruki Murakami's novels often feature jazz records and cats.",
    "The Danube flows through Vienna, Bratislava, Budapest and Belgrade.",
    "Dr. Okonkwo will see patients at St. Mary's Hospital on Friday.",
    "Mount Kilimanjaro is the highest mountain in Africa.",
    "Srinivasa Ramanujan sent his theorems to G. H. Hardy in Cambridge.",
    "The Louvre in Paris holds the Mona Lisa.",
    "Angela and Juan co-founded a small bakery in Valparaiso.",
    "Sir David Attenborough narrated the documentary about coral reefs.",
    "The Amazon rainforest spans Brazil, Peru, Colombia and six other countries.",
    "Nelson Mandela was released from prison in February 1990.",
]

CODE_AND_URLS = [
    "Run pip install -e . and then pytest -n auto to test the package.",
    "See https://example.org/docs/getting-started for the full guide.",
    "The function returns None when the list is empty.",
    "git rebase -i HEAD~3 lets you squash the last three commits.",
    "Set PYTHONPATH=src before calling python -m app.main.",
    "The error says: KeyError: 'user_id' in line 42 of views.py.",
    "SELECT name, email FROM users WHERE active = 1 ORDER BY name;",
    "Email support@example.com with your order number.",
    "Use ssh -i ~/.ssh/id_ed25519 admin@10.0.0.5 to log in.",
    "The regex ^[a-z0-9_]{3,16}$ matches valid usernames.",
    "Open localhost:8080/health to check the service status.",
    "for i in range(10): print(i * i)",
    "The config key max_retries defaults to 3 in settings.yaml.",
    "docker compose up -d starts every container in the background.",
]

PUNCTUATION = [
    "Wait... what? You sold the car -- the red one?!",
    "Yes; no; maybe: it depends (mostly) on the weather.",
    "\"Never again,\" she said, closing the door.",
    "Milk, eggs, bread, butter, coffee, apples, rice.",
    "Well, well, well... look who finally showed up!",
    "Note: all prices include VAT (20%) -- except books.",
    "Hmm. Okay. Fine! Let's go.",
    "The sign read: NO PARKING / NO STOPPING / 24H.",
    "It was -- how shall I put it? -- a memorable evening.",
    "A, B, C... and then what comes after Z?",
    "!!! URGENT !!! Please reply ASAP.",
    "Is it 'its' or 'it's' in this sentence??",
]

LONG = [
    "Although the committee had originally planned to announce the results in early spring, a series of "
    "unexpected delays, including a fire in the archive and the resignation of two senior members, meant "
    "that the final report was not published until the end of the following autumn.",
    "When the storm finally passed, the villagers came out of their houses, counted the fallen trees along "
    "the road, checked on their elderly neighbours, and began, slowly and without much conversation, to "
    "clear the mud from the school playground.",
    "The new policy, which applies to all employees regardless of their contract type, requires that any "
    "request for remote work be submitted at least two weeks in advance, approved by a line manager, and "
    "recorded in the central system so that payroll and insurance can be adjusted accordingly.",
    "She had always believed that learning a language was mostly a matter of memorising vocabulary, but "
    "after six months in Lisbon, ordering coffee, arguing with landlords and listening to the radio, she "
    "realised that rhythm, gesture and patience mattered at least as much.",
    "If the sensor reading exceeds the threshold for more than five consecutive seconds, the controller "
    "shuts the valve, logs the event with a timestamp, sends an alert to the operator on duty, and waits "
    "for a manual reset before resuming normal operation.",
    "The museum's new wing, designed by a young architect from Oslo and funded largely by donations from "
    "local families, houses a collection of maritime instruments, hand-drawn charts, and letters written "
    "by sailors to their children during long voyages in the nineteenth century.",
    "Because the trains were cancelled and the buses were full, we ended up sharing a taxi with a retired "
    "opera singer who told us stories about touring South America in the sixties, which made the three-hour "
    "journey feel surprisingly short.",
    "Researchers compared the sleep patterns of two hundred volunteers over a month and found that those "
    "who avoided screens for an hour before bed fell asleep faster, woke up less often during the night, and "
    "reported feeling more rested the next morning, although the effect was smaller for older participants.",
]

SHORT = [
    "Thanks!", "No.", "Good morning.", "Help", "Sold out.", "See you tomorrow.", "Really?", "OK",
    "Happy birthday!", "Closed for repairs.", "Delicious.", "Not again.", "Train delayed.", "Why?",
]

#: Consecutive entries say nearly the same thing in other words.
PARAPHRASE_PAIRS = [
    "The meeting has been postponed until next week.",
    "We moved the meeting to next week.",
    "I can't find my phone anywhere.",
    "My phone seems to be lost.",
    "The restaurant was too noisy to have a conversation.",
    "It was so loud in the restaurant that we couldn't talk.",
    "He quit his job to travel around the world.",
    "He left his position so he could travel the globe.",
    "Please turn off the lights when you leave.",
    "Switch the lights off on your way out, please.",
    "The film was longer than I expected.",
    "I didn't expect the movie to be that long.",
    "Prices have gone up a lot this year.",
    "Things have become much more expensive this year.",
    "The child fell asleep in the car.",
    "The kid dozed off during the drive.",
    "This laptop is too slow for video editing.",
    "Editing videos on this computer takes forever.",
    "The museum is closed on Mondays.",
    "You can't visit the museum on a Monday.",
    "She speaks four languages fluently.",
    "She is fluent in four different languages.",
    "The river flooded the lower part of the town.",
    "Floodwater from the river covered the town's lower streets.",
]

CATEGORIES = {
    "questions": QUESTIONS, "numbers": NUMBERS, "names": NAMES, "code and URLs": CODE_AND_URLS,
    "punctuation": PUNCTUATION, "long": LONG, "short": SHORT, "paraphrases": PARAPHRASE_PAIRS,
}


def varied_sentences() -> list[str]:
    """Every sentence of the varied set, category by category (paraphrase pairs stay adjacent)."""
    return [s for group in CATEGORIES.values() for s in group]
