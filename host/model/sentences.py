"""Sentences for calibration and evaluation, built here (no data set can be fetched at run time).

A seeded template grammar gives varied everyday sentences; `calibration_sentences` and
`evaluation_sentences` are disjoint by construction (different seeds, duplicates removed).
`PARAPHRASES` holds (sentence, paraphrase, unrelated) triples for checking a model's behaviour.
"""

from __future__ import annotations

import random

_SUBJECTS = ["The old man", "A young girl", "My neighbour", "The teacher", "Our team", "The doctor",
             "A tired student", "The chef", "Her brother", "The scientist", "A small dog", "The pilot",
             "The farmer", "My grandmother", "The engineer", "A quiet boy", "The singer", "The mayor",
             "An artist", "The nurse", "The children", "A stranger", "The captain", "The baker"]
_VERBS = ["reads", "paints", "repairs", "sells", "watches", "cooks", "writes", "studies", "carries",
          "finds", "builds", "cleans", "describes", "loses", "buys", "opens", "visits", "photographs"]
_OBJECTS = ["a red bicycle", "the morning newspaper", "an ancient map", "a wooden boat", "the kitchen window",
            "a long letter", "the broken radio", "a bowl of soup", "the garden fence", "a strange song",
            "the train schedule", "a pair of shoes", "the city museum", "a chocolate cake", "the old piano",
            "a mountain trail", "the quarterly report", "a glass of water", "the football match"]
_PLACES = ["in the park", "at the station", "near the river", "after dinner", "before sunrise",
           "during the storm", "on a quiet afternoon", "in the library", "at the market", "by the sea",
           "in a hurry", "with great care", "for the first time", "every Sunday", "late at night"]
_OPENERS = ["", "", "", "Yesterday, ", "Sometimes ", "Every morning ", "Surprisingly, ", "As usual, "]
_QUESTIONS = ["Where can I buy {o}?", "Why does {s_l} like {o}?", "How long does it take to reach {p_t}?",
              "Who left {o} {p}?", "Is it safe to swim {p}?"]


def _sentence(rng: random.Random) -> str:
    s, v, o, p = (rng.choice(x) for x in (_SUBJECTS, _VERBS, _OBJECTS, _PLACES))
    if rng.random() < 0.2:
        q = rng.choice(_QUESTIONS)
        return q.format(o=o, s_l=s.lower(), p=p, p_t=p.replace("in the ", "the ").replace("at the ", "the "))
    opener = rng.choice(_OPENERS)
    if opener:
        s = s[0].lower() + s[1:]
    tail = f" and {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}" if rng.random() < 0.3 else ""
    return f"{opener}{s} {v} {o} {p}{tail}."


def _draw(seed: int, count: int, exclude: set[str]) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    seen = set(exclude)
    while len(out) < count:
        s = _sentence(rng)
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def calibration_sentences(count: int = 64) -> list[str]:
    return _draw(2024, count, set())


def evaluation_sentences(count: int = 240) -> list[str]:
    """Sentences that are not calibration sentences (checked against a 1000-sentence calibration draw)."""
    return _draw(7, count, set(calibration_sentences(1000)))


PARAPHRASES = [
    ("A man is playing a guitar on stage.", "Someone performs a song with a guitar at a concert.",
     "The stock market fell sharply this morning."),
    ("The cat is sleeping on the sofa.", "A kitten naps on the couch.",
     "Engineers designed a new bridge over the river."),
    ("It is raining heavily in the city today.", "There is a strong downpour in town today.",
     "She ordered a pizza with extra cheese."),
    ("The children are building a sandcastle on the beach.", "Kids make a castle out of sand by the sea.",
     "The committee approved the annual budget."),
    ("He forgot his keys at the office.", "He left his keys behind at work.",
     "Penguins live in the southern hemisphere."),
]
