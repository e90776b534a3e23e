"""A varied evaluation set, written for the kit: sentences unlike the template grammar that
calibrates the quantizer (`host.model.sentences`), so fidelity figures measured on it are not flattered
by sentences that all look alike.

Each category holds what real use throws at a sentence encoder: questions, numbers and units,
names, code and URLs, punctuation-heavy text, long compound sentences, everyday statements on
unrelated topics, very short inputs, and pairs of near-paraphrases (consecutive entries).
282 sentences, from 1 to about 120 tokens.
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
    "Does this jacket come in a larger size?",
    "How long should I boil an egg for a runny yolk?",
    "What is the capital of Australia, Sydney or Canberra?",
    "Why does bread go stale faster in the fridge?",
    "Can I bring a laptop in my hand luggage?",
    "Who is responsible for fixing the broken streetlight?",
    "How much does it cost to renew a passport?",
    "Is the swimming pool heated in winter?",
    "What does a sommelier actually do all day?",
    "Would you rather live by the sea or in the mountains?",
    "How do I reset my password if I no longer have the old email address?",
    "Are there any side effects if I take this with coffee?",
    "Which platform does the train to the airport leave from?",
    "What's the best way to learn to play the guitar as an adult?",
    "How do bees decide where to build a new hive?",
    "Why won't my printer connect to the wireless network?",
    "Did the council approve the new cycle lane?",
    "How many people live in Lagos today?",
    "What should I pack for a week of hiking in Scotland?",
    "Can a landlord raise the rent in the middle of a lease?",
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
    "The car averages 5.8 litres per 100 km on the motorway.",
    "Only 3 of the 27 samples exceeded 0.05 mg/L of lead.",
    "Doors open at 7:30 pm; tickets cost 15 or 12 with a student card.",
    "The telescope's mirror is 8.4 m across and weighs 16 tonnes.",
    "Shares fell 4.2% to 131.50 after the quarterly report.",
    "Mix 1 part cement with 3 parts sand and 0.5 parts water.",
    "The battery lasts 18 hours at 50% brightness.",
    "A blue whale's heart weighs roughly 180 kg.",
    "The 10 km race starts at 09:00; registration closes at 08:15.",
    "Population: 8,336,817 (2022 estimate), density 10,194 per km2.",
    "Our flat uses about 2,700 kWh of electricity a year.",
    "The loan is 250,000 over 25 years at a fixed rate of 4.15%.",
    "Speed limit 30 mph, or 50 km/h in the village centre.",
    "The file is 3.6 MB, well under the 25 MB attachment limit.",
    "Between 1990 and 2020 the glacier retreated 1.9 km.",
    "Order #58213 shipped on 03/11 and should arrive within 3-5 days.",
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
    "Wangari Maathai founded the Green Belt Movement in Kenya.",
    "Leonardo da Vinci kept notebooks written in mirror script.",
    "The Rhine rises in the Swiss Alps and reaches the sea in the Netherlands.",
    "Professor Nakamura and Dr. Singh presented the results in Geneva.",
    "Simone Biles has won more world championship medals than any other gymnast.",
    "The Great Barrier Reef lies off the coast of Queensland.",
    "Gabriel Garcia Marquez set many of his stories in the town of Macondo.",
    "Alan Turing worked at Bletchley Park during the Second World War.",
    "The Sahara covers large parts of Algeria, Chad, Egypt, Libya and Mali.",
    "Ms. Okafor from Lagos will chair the panel on renewable energy.",
    "Tchaikovsky composed the music for Swan Lake in 1875 and 1876.",
    "The Golden Gate Bridge connects San Francisco to Marin County.",
    "Rosalind Franklin's X-ray images helped reveal the structure of DNA.",
    "Ibn Battuta travelled from Tangier to China in the fourteenth century.",
    "Lake Baikal in Siberia is the deepest lake on Earth.",
    "Emmy Noether proved a theorem linking symmetry and conservation laws.",
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
    "Call np.linalg.norm(v, axis=1) to get the length of each row.",
    "Download the dataset from https://data.example.net/v2/archive.tar.gz.",
    "chmod 600 ~/.ssh/config fixes the bad permissions warning.",
    "The endpoint POST /api/v1/orders returns 201 Created on success.",
    "In C, int *p = malloc(n * sizeof *p); must be freed later.",
    "Add export PATH=$HOME/.local/bin:$PATH to your .bashrc.",
    "The build fails with: undefined reference to `pthread_create'.",
    "Visit www.example.com/careers?team=hardware&location=remote.",
    "git checkout -b fix/timeout-handling origin/main",
    "SELECT COUNT(*) FROM logs WHERE level = 'ERROR' AND ts > NOW() - INTERVAL '1 day';",
    "const total = items.reduce((sum, x) => sum + x.price, 0);",
    "Set timeout_ms: 5000 and retries: 2 in config.json.",
    "The CI job runs make -j2 test and uploads coverage.xml.",
    "kubectl get pods -n staging shows two pods in CrashLoopBackOff.",
    "Replace http:// with https:// in every link on the page.",
    "print(f\"{name!r} has {len(items)} items\")",
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
    "Oh no -- not the printer again!!!",
    "Apples (green); pears (ripe); plums (none left).",
    "\"Is anyone there?\" -- silence -- \"Hello?\"",
    "Step 1: unplug. Step 2: wait. Step 3: plug in.",
    "Sorry, sorry, sorry! I'm late, I know...",
    "Q: Who's coming? A: Everyone (except Tom).",
    "Red/green/blue -- pick one, any one.",
    "P.S. Don't forget the keys; they're under the mat!",
    "Wow. Just... wow.",
    "Re: Re: Fwd: meeting notes (final, v3)",
    "Rule #1: no phones at dinner. Rule #2: see rule #1.",
    "So... are we going, or not?!",
    "Tickets: sold. Hotel: booked. Passport: expired?!",
    "He said -- and I quote -- \"absolutely not\".",
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
    "After the software update was rolled out to every branch office on Monday morning, the help desk "
    "received more than three hundred calls from staff who could no longer print, open shared folders or "
    "connect to the video conferencing system, so the update was withdrawn by lunchtime and rescheduled for "
    "a weekend when fewer people would be affected.",
    "The recipe that my grandmother wrote on the back of an envelope calls for flour, butter, a pinch of salt "
    "and cold water, but it says nothing about quantities, so every attempt to reproduce her pastry has "
    "involved a great deal of guessing, several ruined pies and long telephone calls with my aunt.",
    "Despite heavy rain throughout the afternoon and a power cut that silenced the speakers for almost twenty "
    "minutes, the festival organisers kept the crowd entertained with acoustic sets on a small covered stage, "
    "and most people agreed afterwards that it had been the best evening of the whole weekend.",
    "To apply for the scholarship, students must submit a personal statement of no more than a thousand words, "
    "two letters of recommendation from teachers who know their work well, and a copy of their most recent "
    "results, all before the deadline at midnight on the last Friday of January.",
    "Once the volunteers had finished counting the birds on the estuary, they compared their tallies with the "
    "records of the previous ten winters and noticed that the number of wading birds had fallen sharply while "
    "the number of geese had almost doubled, which puzzled everyone on the survey team.",
    "Because the library is being renovated, books can be returned only at the temporary desk in the town hall, "
    "where opening hours are shorter and the staff ask that large donations be arranged in advance by phone or "
    "email so that there is room to store them until the new shelves arrive.",
    "Although the bridge looked perfectly safe from the road, the engineers who inspected it found corrosion in "
    "several of the steel cables, cracks in the concrete supports and a drainage system blocked with leaves, and "
    "they recommended closing it to heavy vehicles until the repairs could be completed.",
    "The small team spent most of the year building a prototype that could sort recycling by material, testing "
    "it on thousands of bottles, cans and cartons, and adjusting the camera and the air jets until the machine "
    "made fewer mistakes than the people who had been doing the job by hand.",
]

EVERYDAY = [
    "The library will extend its opening hours during the exam period.",
    "A heatwave is expected to reach the south coast by the weekend.",
    "Our neighbours adopted two kittens from the animal shelter.",
    "The striker scored twice in the last ten minutes to win the match.",
    "This vacuum cleaner is quiet, light and surprisingly powerful.",
    "Photosynthesis turns sunlight, water and carbon dioxide into sugar and oxygen.",
    "The hotel room was clean but the breakfast was disappointing.",
    "Remember to back up your photos before installing the update.",
    "Volcanic ash grounded flights across northern Europe for a week.",
    "The orchestra will perform Beethoven's ninth symphony on New Year's Eve.",
    "My grandfather still repairs old radios in his garage.",
    "Tomatoes grow best in full sun with regular watering.",
    "The council voted to turn the old railway line into a walking path.",
    "Antibiotics do not work against viral infections such as the common cold.",
    "The bakery on the corner sells out of croissants by nine.",
    "Stretch gently after running to reduce stiffness the next day.",
    "The documentary follows a family of wolves through one winter.",
    "Local elections will be held on the first Thursday in May.",
    "Octopuses can change the colour and texture of their skin in a fraction of a second.",
    "The customer service agent was patient and solved the problem quickly.",
    "Wear a helmet and use lights when cycling after dark.",
    "The startup raised funding to build cheaper solar panels.",
    "Honey found in ancient tombs was still edible after thousands of years.",
    "The hiking trail is steep, rocky and poorly marked near the summit.",
    "A new study links air pollution to poorer sleep in children.",
    "Our team finished the project two days ahead of schedule.",
    "The ferry crossing was rough, and half the passengers felt seasick.",
    "Chess players need years of practice to master the endgame.",
    "The market sells fresh fish, spices and handmade baskets.",
    "Snow closed the mountain pass for most of January.",
]

SHORT = [
    "Thanks!", "No.", "Good morning.", "Help", "Sold out.", "See you tomorrow.", "Really?", "OK",
    "Happy birthday!", "Closed for repairs.", "Delicious.", "Not again.", "Train delayed.", "Why?",
    "Maybe later.", "Yes!", "Out of stock.", "Welcome back.", "Lost dog.", "Congratulations!",
    "Hi", "Too expensive.", "Well done.", "Back in five minutes.", "Fresh bread", "Goodbye",
    "Please wait.", "Wrong number.", "Love it.", "Cash only.",
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
    "The bus was late again this morning.",
    "This morning the bus didn't come on time, as usual.",
    "I'd like a table for two at eight o'clock.",
    "Could we book a table for two people at 8 pm?",
    "The company reported record profits this quarter.",
    "Profits hit an all-time high for the firm in the last three months.",
    "He has been learning to cook since he moved out.",
    "Since leaving home, he has been teaching himself to cook.",
    "The concert was cancelled because of the storm.",
    "Because of bad weather, the show did not go ahead.",
    "My sister is allergic to peanuts.",
    "Peanuts give my sister an allergic reaction.",
    "The new phone's battery lasts two full days.",
    "You can use the latest phone for two days on one charge.",
    "We ran out of milk, so I went to the shop.",
    "I popped out to buy milk because there was none left.",
    "The exam was much easier than we feared.",
    "We expected a hard test, but it turned out to be simple.",
    "The garden needs watering every evening in July.",
    "In July you have to water the plants each night.",
    "This road is closed for repairs until Friday.",
    "Roadworks will keep the street shut until the end of the week.",
    "The doctor told him to get more exercise.",
    "His physician advised him to be more active.",
]

CATEGORIES = {
    "questions": QUESTIONS, "numbers": NUMBERS, "names": NAMES, "code and URLs": CODE_AND_URLS,
    "punctuation": PUNCTUATION, "long": LONG, "everyday": EVERYDAY, "short": SHORT,
    "paraphrases": PARAPHRASE_PAIRS,
}


def varied_sentences() -> list[str]:
    """Every sentence of the varied set, category by category (paraphrase pairs stay adjacent)."""
    return [s for group in CATEGORIES.values() for s in group]
