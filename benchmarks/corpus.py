"""A deterministic synthetic news archive for the speed benchmarks.

The model, chosen so that index sizes and query costs resemble a real
archive of news reports rather than a bag of repeated words:

* **Vocabulary.** About 400 real English news words plus ~40,000 generated
  pronounceable words (syllable chains), ranked once with a fixed seed.
  Background words are drawn by rank with Zipf's law (frequency ~ 1/rank^1.05),
  so "said" is everywhere, a rank-1,000 word is in a few percent of articles
  and most word types occur in a handful of articles only, as in real text.
* **Topics.** Each article is about one or two topics (deportation,
  mobilisation, a trial, a protest, ... plus ~150 generated minor topics).
  Topic popularity is itself Zipf-distributed. A topic's words (``deported``,
  ``asylum``, ``commissariat``...) are frequent inside its articles and rare
  elsewhere, so a researcher's query word matches a few percent of the
  archive, not most of it.
* **Cast.** Each article names a small cast drawn from ~6,000 people and
  ~900 places and ~60 organisations (a few in the news far more often than
  the rest) and keeps returning to it: "Maria Petrova ... Petrova said".
* **Form.** A title line, an outlet line, a dateline ("ALMATY, 14 December
  2022 —") and ~600 words of sentences from news templates (arrests,
  hearings, quotes, numbers, dates), in paragraphs. Publication dates span
  2019-2024. The file name carries the date (``000123_2022-12-14.txt``).

The same seed and count always give byte-identical files (nothing depends on
hash order).

    python -m benchmarks.corpus --n 2000 --out /some/folder
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import random
from pathlib import Path

__all__ = ["generate", "SEED", "OUTLETS", "TOPICS", "PLACES", "WORDS_PER_ARTICLE"]

SEED = 20221214
WORDS_PER_ARTICLE = 600
ZIPF_S = 1.05
GENERATED_WORDS = 40_000
MINOR_TOPICS = 150

_FIRST = """Alexei Maria Ivan Olga Dmitry Anna Sergei Elena Pavel Natalia John Sarah David Amina
Lucas Yerlan Aigerim Timur Giorgi Nino Mikhail Irina Andrei Svetlana Nikolai Tatiana Oleg Yulia
Artem Daria Roman Ksenia Kirill Marina Viktor Polina Ruslan Zarina Arman Dana Bekzat Madina
Levan Tamar Ashot Lilit Azamat Gulnara Emma James Thomas Laura Peter Fatima Omar Leila Igor Vera
Boris Alina Gleb Sofia Nurlan Asel Daniyar Kamila Zurab Salome Vakhtang Ani Maxim Eva""".split()
_LAST = """Zhilenkov Petrova Sokolov Ivanova Kuznetsov Smirnova Volkov Popova Morozov Fedorova
Carter Mitchell Okafor Yusuf Moreau Abenov Nurlanova Bekov Beridze Kapanadze Orlov Lebedeva Kozlov
Novikova Pavlov Egorova Stepanov Nikitina Zaitsev Belova Semenov Golubeva Vinogradov Bogdanova
Vorobyov Kiseleva Makarov Tarasova Andreev Frolova Akhmetov Serikova Tsereteli Gelashvili
Harutyunyan Sargsyan Osmonov Toktogulova Karimov Rashidova Grigoriev Melnikova Baranov Krylova
Wagner Schmidt Novak Kowalski Dubois Rossi Hughes Walsh Ahmed Hassan Mamedov Aliyeva Yakovlev
Medvedeva Sorokin Zhukova Filippov Markova Gusev Titova Kuzmin Loginova Mironov Panova""".split()
_REAL_PLACES = """Moscow St-Petersburg Astana Almaty Tbilisi Yerevan Bishkek Novosibirsk
Yekaterinburg Kazan Samara Omsk Uralsk Aktobe Shymkent Karaganda Batumi Kutaisi Gyumri Osh Tashkent
Samarkand Dushanbe Baku Minsk Vilnius Riga Tallinn Helsinki Warsaw Berlin Istanbul Dubai Belgrade
Krasnodar Rostov Voronezh Perm Ufa Chelyabinsk Tyumen Irkutsk Khabarovsk Vladivostok Murmansk
Kaliningrad Pskov Orenburg Saratov Volgograd Makhachkala Grozny Nalchik Vladikavkaz""".split()
ORGS = [
    "the Interior Ministry", "the Federal Security Service", "the district court",
    "the Supreme Court", "the prosecutor's office", "the border service",
    "the migration service", "Human Rights Watch", "Amnesty International", "Memorial",
    "the defence ministry", "the military commissariat", "the investigative committee",
    "the United Nations", "the European Court of Human Rights", "the police",
    "the city court", "the regional court", "the appeals court", "the national security committee",
    "the foreign ministry", "the justice ministry", "the ombudsman's office", "the UN refugee agency",
    "OVD-Info", "the Norwegian Helsinki Committee", "Reporters Without Borders",
    "the Committee to Protect Journalists", "the Red Cross", "the electoral commission",
]
OUTLETS = ["Mediazona", "Meduza", "Reuters", "The Guardian", "BBC News", "Novaya Gazeta",
           "Eurasianet", "RFE/RL", "Kommersant", "The Moscow Times", "Associated Press", "AFP",
           "Vlast.kz", "OC Media", "CivilNet", "Kloop", "Dozhd", "The Insider"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# Hand-written topics: the subjects researchers query for. Each topic's
# words are frequent in its own articles and rare elsewhere.
TOPICS: dict[str, list[str]] = {
    "deportation": """deported deportation deport expelled border asylum refugee passport visa
        migration residence permit crossing guards airport flight returned handed over
        extradited""".split(),
    "mobilization": """mobilization mobilized conscript conscription draft summons summoned
        commissariat enlistment soldier soldiers reservist deserted desertion front unit
        recruitment decree""".split(),
    "extradition": """extradition extradite extradited request prosecutor general interpol
        wanted notice custody hearing ruling appeal surrender treaty""".split(),
    "trial": """trial court judge verdict sentence sentenced convicted acquitted prosecution
        defence witness testimony hearing appeal lawyer plea guilty colony""".split(),
    "protest": """protest protesters rally demonstration detained arrested dispersed police
        square placards picket riot crowd unauthorised march""".split(),
    "treason": """treason espionage spying classified secret investigators charged security
        closed trial foreign agent""".split(),
    "press": """journalist journalists newspaper editor outlet blocked censorship foreign
        agent label broadcast reporter media""".split(),
    "prison": """prison colony inmate inmates torture beaten cell solitary warden transfer
        hunger strike parole""".split(),
    "election": """election vote votes ballot candidate observers fraud turnout polling
        commission campaign parliament""".split(),
    "war": """war shelling missile strike troops front occupied drone artillery casualties
        offensive ceasefire""".split(),
    "sanctions": """sanctions assets frozen export banks oligarch embargo restrictions
        companies trade""".split(),
    "exile": """exile emigrated fled emigrants relocated diaspora abroad returned
        homesick community""".split(),
}

_REAL_WORDS = """said told reported according officials government country city region family
court case police authorities lawyer human rights news agency telegram video photo local
regional federal minister president spokesman source sources statement people year years week
month day time man woman men women group members report information public state national
first last new former several many other two three four five hundred thousand million number
part place life work home children son daughter wife husband mother father brother friends
colleagues office building street car train bus house village town capital district centre
morning evening night hours later earlier since after before during against under between
without within about around while because however although also still already only even
again back never often later soon today yesterday tomorrow recently following previous next
decision order law article code criminal administrative civil charge charges fine penalty
investigation investigator evidence documents letter complaint request response comment
interview statement announcement message post account channel website social network
meeting talks visit trip journey road bridge station hospital school university church
money payment salary price budget company business bank market economy prices rent
health doctor treatment illness died death killed injured wounded missing found search
help support aid organisation volunteers activists opposition supporters critics leaders
officer officers service services ministry committee council agency department bureau
security military army navy forces commander general colonel major captain sergeant
political politics policy power regime system rules right freedom speech expression
press media journalist editor newspaper television radio online internet phone calls
said says say saying asked told added noted stressed explained wrote warned denied
confirmed claimed insisted argued announced admitted refused agreed allowed tried wanted
began started ended continued remained became seemed appeared returned left arrived moved
took gave made found saw heard knew thought kept brought sent received paid lost held
went came got put set ran led met called named described considered expected believed
important serious possible difficult different large small long short high low early
late young old whole full open closed free private official independent international
foreign domestic russian kazakh georgian armenian european western eastern northern
southern central main major minor single double final total average recent current""".split()

_SYLLABLES = ["ka", "ro", "mi", "ne", "tu", "sha", "vel", "dor", "an", "is", "ko", "lev",
              "gra", "pol", "ste", "vi", "zo", "mar", "tin", "bek", "ul", "ar", "en", "sk",
              "ba", "de", "fi", "go", "hu", "ja", "li", "mo", "nu", "pe", "ri", "sa", "te",
              "vo", "za", "ch", "ent", "ion", "ist", "ova", "ard", "ell", "um", "or", "ip"]


def _pronounceable(rng: random.Random, n: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    seen = set(taken)
    while len(out) < n:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def _zipf_cum(n: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(n)))


class _Archive:
    """The shared world of the corpus: vocabulary, topics, people, places."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        topic_words = sorted({w for ws in TOPICS.values() for w in ws})
        real = [w for w in dict.fromkeys(_REAL_WORDS) if w not in topic_words]
        generated = _pronounceable(rng, GENERATED_WORDS, set(real) | set(topic_words))
        # Real words take the top ranks (function-like news words first),
        # generated words fill the long tail.
        self.vocab = real + generated
        # Topic words show up outside their topic too, but rarely: they
        # join the background vocabulary deep in the tail.
        for w in topic_words:
            self.vocab.insert(rng.randrange(2_000, 20_000), w)
        self.vocab_cum = _zipf_cum(len(self.vocab), ZIPF_S)

        self.topics = [(name, words) for name, words in TOPICS.items()]
        for i in range(MINOR_TOPICS):
            # A minor topic: a dozen mid-frequency words that cluster.
            lo = 800 + 60 * i
            words = [self.vocab[rng.randrange(lo, lo + 4_000)] for _ in range(12)]
            self.topics.append((f"minor{i}", words))
        self.topic_cum = _zipf_cum(len(self.topics), 0.9)

        names = [f"{f} {l}" for f in _FIRST for l in _LAST]
        rng.shuffle(names)
        self.people = names
        self.people_cum = _zipf_cum(len(names), 0.95)
        invented = [w.capitalize() for w in _pronounceable(rng, 850, set(self.vocab))]
        self.places = [p.replace("-", " ") for p in _REAL_PLACES] + invented
        self.places_cum = _zipf_cum(len(self.places), 0.95)

    def pick(self, items, cum):
        return items[bisect.bisect_left(cum, self.rng.random() * cum[-1])]

    def background(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.vocab_cum, k=k)


class _ArticleWriter:
    """Builds one article around its topics and cast."""

    def __init__(self, world: _Archive, index: int) -> None:
        self.w = world
        rng = self.rng = world.rng
        self.index = index
        self.year = rng.choice((2019, 2020, 2021, 2022, 2022, 2022, 2023, 2023, 2024))
        first = world.pick(world.topics, world.topic_cum)
        topics = [first]
        if rng.random() < 0.4:
            topics.append(world.pick(world.topics, world.topic_cum))
        self.topic_words = [w for _, ws in topics for w in ws]
        self.cast = [world.pick(world.people, world.people_cum) for _ in range(rng.randint(2, 4))]
        self.places = [world.pick(world.places, world.places_cum) for _ in range(rng.randint(1, 2))]
        self.orgs = rng.sample(ORGS, 3)

    def person(self, full: bool = False) -> str:
        name = self.rng.choice(self.cast)
        return name if full or self.rng.random() < 0.5 else name.split()[-1]

    def topic(self) -> str:
        return self.rng.choice(self.topic_words)

    def filler(self, k: int) -> str:
        words = self.w.background(k)
        rng = self.rng
        for i in range(k):
            if rng.random() < 0.12:
                words[i] = self.topic()
        return " ".join(words)

    def date(self) -> tuple[str, str]:
        m, d = self.rng.randint(1, 12), self.rng.randint(1, 28)
        return f"{d} {MONTHS[m - 1]} {self.year}", f"{self.year}-{m:02d}-{d:02d}"

    def sentence(self) -> str:
        rng = self.rng
        kind = rng.randrange(8)
        place, org = rng.choice(self.places), rng.choice(self.orgs)
        filler = self.filler(rng.randint(6, 16))
        if kind == 0:
            s = f"{self.person(True)} was {self.topic()} in {place} on {self.date()[0]}, {org} said, {filler}"
        elif kind == 1:
            s = f"According to {org}, {rng.randint(2, 900)} people were {self.topic()} after the {self.topic()} in {place}; {filler}"
        elif kind == 2:
            s = f"\"{filler.capitalize()}\", {self.person()} told {rng.choice(OUTLETS)}"
        elif kind == 3:
            s = f"The {self.topic()} against {self.person()} began in {MONTHS[rng.randrange(12)]}, and {org} said that {filler}"
        elif kind == 4:
            s = f"{self.person()} faces up to {rng.randint(2, 20)} years in prison for {self.topic()}, {filler}"
        elif kind == 5:
            s = f"In {place}, {filler} {self.topic()} {self.topic()}"
        else:
            s = filler
        return s[0].upper() + s[1:] + "."

    def text(self) -> tuple[str, str]:
        rng = self.rng
        when, iso = self.date()
        place = self.places[0]
        title = f"{self.cast[0]} {self.topic()} after {self.topic()} in {place}"
        outlet = rng.choice(OUTLETS)
        paras, words, para = [], 0, []
        while words < WORDS_PER_ARTICLE:
            s = self.sentence()
            para.append(s)
            words += s.count(" ") + 1
            if len(para) >= rng.randint(3, 5):
                paras.append(" ".join(para))
                para = []
        if para:
            paras.append(" ".join(para))
        head = f"{title}\n{outlet}\n\n{place.upper()}, {when} — "
        return f"{self.index:06d}_{iso}.txt", head + "\n\n".join(paras) + "\n"


def generate(n: int, out: Path, seed: int = SEED) -> list[Path]:
    """Write ``n`` articles into ``out`` (created if needed); return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    world = _Archive(random.Random(seed))
    paths = []
    for i in range(n):
        name, text = _ArticleWriter(world, i).text()
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
