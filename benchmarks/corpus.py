"""A deterministic synthetic news corpus for the speed benchmarks.

Every article has a title line, a dateline ("MOSCOW, 14 December 2022 —")
and about 600 words of sentences built from a news vocabulary: people,
organisations, places, dates, numbers and legal steps, mixed with common
words drawn with a Zipf-like frequency, plus a long tail of rare invented
words so the term dictionary grows as in a real archive. The same seed and
count always give the same files.

    python -m benchmarks.corpus --n 2000 --out /some/folder
"""
from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

__all__ = ["generate", "SEED", "OUTLETS", "PEOPLE", "PLACES"]

SEED = 20221214
WORDS_PER_ARTICLE = 600

_FIRST = ["Alexei", "Maria", "Ivan", "Olga", "Dmitry", "Anna", "Sergei", "Elena", "Pavel", "Natalia",
          "John", "Sarah", "David", "Amina", "Lucas", "Yerlan", "Aigerim", "Timur", "Giorgi", "Nino",
          "Mikhail", "Irina", "Andrei", "Svetlana", "Nikolai", "Tatiana", "Oleg", "Yulia", "Artem", "Daria"]
_LAST = ["Zhilenkov", "Petrova", "Sokolov", "Ivanova", "Kuznetsov", "Smirnova", "Volkov", "Popova",
         "Morozov", "Fedorova", "Carter", "Mitchell", "Okafor", "Yusuf", "Moreau", "Abenov", "Nurlanova",
         "Bekov", "Beridze", "Kapanadze", "Orlov", "Lebedeva", "Kozlov", "Novikova", "Pavlov", "Egorova",
         "Stepanov", "Nikitina", "Zaitsev", "Belova", "Semenov", "Golubeva", "Vinogradov", "Bogdanova",
         "Vorobyov", "Kiseleva", "Makarov", "Tarasova", "Andreev", "Frolova"]
PEOPLE = [
    "Alexei Zhilenkov", "Maria Petrova", "Ivan Sokolov", "Olga Ivanova", "Dmitry Kuznetsov",
    "Anna Smirnova", "Sergei Volkov", "Elena Popova", "Pavel Morozov", "Natalia Fedorova",
    "John Carter", "Sarah Mitchell", "David Okafor", "Amina Yusuf", "Lucas Moreau",
    "Yerlan Abenov", "Aigerim Nurlanova", "Timur Bekov", "Giorgi Beridze", "Nino Kapanadze",
]
ORGS = [
    "the Interior Ministry", "the Federal Security Service", "the district court",
    "the Supreme Court", "the prosecutor's office", "the border service",
    "the migration service", "Human Rights Watch", "Amnesty International", "Memorial",
    "the defence ministry", "the military commissariat", "the investigative committee",
    "the United Nations", "the European Court of Human Rights", "the police",
]
PLACES = [
    "Moscow", "St Petersburg", "Astana", "Almaty", "Tbilisi", "Yerevan", "Bishkek",
    "Novosibirsk", "Yekaterinburg", "Kazan", "Samara", "Omsk", "Uralsk", "Aktobe",
    "the border crossing", "the airport", "the detention centre", "the capital",
]
OUTLETS = ["Mediazona", "Meduza", "Reuters", "The Guardian", "BBC News", "Novaya Gazeta",
           "Eurasianet", "RFE/RL", "Kommersant", "The Moscow Times"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
LEGAL = ["detained", "arrested", "charged", "convicted", "acquitted", "deported", "extradited",
         "released", "sentenced", "fined", "questioned", "searched", "expelled", "summoned"]
NOUNS = ["protest", "mobilization", "deportation", "extradition", "asylum", "hearing", "appeal",
         "verdict", "sentence", "statement", "interview", "investigation", "raid", "border",
         "passport", "visa", "lawyer", "judge", "prosecutor", "witness", "evidence", "report",
         "detention", "custody", "refugee", "soldier", "conscript", "draft", "decree", "law",
         "complaint", "ruling", "trial", "charge", "desertion", "treason", "fine", "penalty"]
VERBS = ["said", "told", "reported", "confirmed", "denied", "announced", "claimed", "added",
         "wrote", "explained", "warned", "insisted", "argued", "noted", "stressed"]
COMMON = """the of and to a in that is was he for it with as his on be at by i this had not
are but from or have an they which one you were her all she there would their we him been
has when who will more no if out so up said what its about into than them can only other new
some could time these two may then do first any my now such like our over man me even most made
after also did many before must through back years where much your way well down should because
each just those people how too little state good very make world still own see men work long get
here between both life being under never day same another know while last might us great old year
off come since against go came right used take three week month officials government country city
region family court case police authorities according lawyer human rights news agency telegram
video photo local regional federal minister president spokesman source sources statement""".split()

_SYLLABLES = ["ka", "ro", "mi", "ne", "tu", "sha", "vel", "dor", "an", "is", "ko", "lev",
              "gra", "pol", "ste", "vi", "zo", "mar", "tin", "bek", "ul", "ar", "en", "sk"]


def _rare_words(rng: random.Random, n: int) -> list[str]:
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(out)


class _Writer:
    """Builds one article's text from the shared vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rare = _rare_words(rng, 30000)
        # Zipf-like weights: the n-th common word is 1/n as frequent as the first.
        self.common_cum = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(COMMON))))
        self.rare_cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.8 for i in range(len(self.rare))))
        # 1,200 people and ~600 places, a few of them in the news far more
        # often than the rest, as in a real archive.
        names = [f"{f} {l}" for f in _FIRST for l in _LAST]
        rng.shuffle(names)
        self.people = PEOPLE + names
        self.people_cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(self.people))))
        self.places = PLACES + [w.capitalize() for w in self.rare[::50]]
        self.places_cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(self.places))))

    def person(self) -> str:
        return self.pick(self.people, self.people_cum)

    def date(self, year: int) -> tuple[str, str]:
        m = self.rng.randint(1, 12)
        d = self.rng.randint(1, 28)
        return f"{d} {MONTHS[m - 1]} {year}", f"{year}-{m:02d}-{d:02d}"

    def filler(self, k: int) -> list[str]:
        rng = self.rng
        words = rng.choices(COMMON, cum_weights=self.common_cum, k=k)
        for i in range(k):
            if rng.random() < 0.08:
                words[i] = rng.choices(self.rare, cum_weights=self.rare_cum, k=1)[0]
        return words

    def pick(self, items: list[str], cum: list[float]) -> str:
        return self.rng.choices(items, cum_weights=cum, k=1)[0]

    def sentence(self, year: int) -> str:
        rng = self.rng
        kind = rng.randrange(6)
        person, org, place = self.person(), rng.choice(ORGS), self.pick(self.places, self.places_cum)
        when, _ = self.date(year)
        noun, legal, verb = rng.choice(NOUNS), rng.choice(LEGAL), rng.choice(VERBS)
        filler = " ".join(self.filler(rng.randint(6, 14)))
        if kind == 0:
            s = f"{person} was {legal} in {place} on {when}, {org} {verb}, {filler}"
        elif kind == 1:
            s = f"According to {org}, {rng.randint(2, 900)} people were {legal} after the {noun} in {place}; {filler}"
        elif kind == 2:
            s = f"\"{filler.capitalize()}\", {person} {verb}"
        elif kind == 3:
            s = f"The {noun} against {person} began in {MONTHS[rng.randrange(12)]}, and {org} {verb} that {filler}"
        elif kind == 4:
            s = f"{filler.capitalize()} {noun} {rng.choice(NOUNS)} in {place}"
        else:
            s = f"{self.person()} faces up to {rng.randint(2, 15)} years for {noun}, {filler}"
        return s[0].upper() + s[1:] + "."

    def article(self, index: int) -> tuple[str, str]:
        rng = self.rng
        year = rng.choice([2021, 2022, 2022, 2023])
        when, iso = self.date(year)
        place = rng.choice(PLACES[:14])
        title = f"{self.person()} {rng.choice(LEGAL)} after {rng.choice(NOUNS)} in {place}"
        outlet = rng.choice(OUTLETS)
        paras, words, para = [], 0, []
        while words < WORDS_PER_ARTICLE:
            s = self.sentence(year)
            para.append(s)
            words += s.count(" ") + 1
            if len(para) >= rng.randint(3, 5):
                paras.append(" ".join(para))
                para = []
        if para:
            paras.append(" ".join(para))
        head = f"{title}\n{outlet}\n\n{place.upper()}, {when} — "
        return f"{index:06d}_{iso}.txt", head + "\n\n".join(paras) + "\n"


def generate(n: int, out: Path, seed: int = SEED) -> list[Path]:
    """Write ``n`` articles into ``out`` (created if needed); return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    writer = _Writer(random.Random(seed))
    paths = []
    for i in range(n):
        name, text = writer.article(i)
        p = out / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    paths = generate(args.n, args.out, args.seed)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
