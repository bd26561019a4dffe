"""Word lists and a deterministic text generator for benchmark data (social-sector flavoured).

The text is made of templates filled from lists whose items are drawn with a skew (the first
items of a list are the most common), so a few words are everywhere, most are rare, and
full-text search and similarity have realistic overlaps to work with.
"""

import random
from itertools import accumulate

FIRST_NAMES = """Aroha Hemi Mere Wiremu Ngaire Tama Anahera Rawiri Kiri Manaia Sione Lupe Mele
Tevita Ana Losa Priya Arjun Mei Wei Jun Hana Emma Olivia Amelia Isla Ava Charlotte Mia Sophie Grace
Ruby Jack Oliver Noah Leo James George Liam Lucas Thomas William Hamish Fergus Aisha Omar Fatima
Yusuf Ming Tuan Linh Sina Malia Ioane Tui Rangi Huia Kahu Tane Moana Nikau""".split()

LAST_NAMES = """Ngata Tipene Walker Smith Wilson Taylor Brown Williams Jones Thompson Anderson
Tane Parata Te Whare Henare Rangi Tuhiwai Paora Kingi Horomona Fa'amausili Tuilagi Leota Sapolu
Patel Singh Sharma Chen Wang Li Zhang Nguyen Tran Kim Park Lee Hassan Ali Ahmed Mohammed McKenzie
Campbell Stewart Robertson Murray Fraser Reid Clarke Martin White Harris King Wright Scott Young
Hall Allen Mitchell Edwards Hughes""".split()

ROLES = {
    "frontline": [
        "Social worker",
        "Case manager",
        "Practice nurse",
        "GP",
        "Teacher",
        "Youth worker",
        "Community health worker",
        "Kaiāwhina",
        "Navigator",
        "Support worker",
        "Midwife",
        "Housing officer",
        "Counsellor",
        "Family support worker",
        "Whānau Ora navigator",
    ],
    "team_leader": ["Team leader", "Practice leader", "Charge nurse", "Senior social worker"],
    "manager": ["Service manager", "Operations manager", "Practice manager", "Principal"],
    "senior_leader": ["Regional commissioner", "Chief executive", "General manager", "Director"],
}
LEVELS = ["frontline", "team_leader", "manager", "senior_leader"]
LEVEL_WEIGHTS = [60, 20, 14, 6]

ORG_KINDS = ["government", "health", "ngo", "iwi", "school", "council", "community"]
REGIONS = """northland auckland waikato bay-of-plenty gisborne hawkes-bay taranaki
manawatu-whanganui wellington tasman nelson marlborough west-coast canterbury otago southland
national""".split()
ORG_WORDS = """Kāhui Tautoko Whānau Community Family Youth Health Housing Trust Services Centre
Network Collective Hauora Rūnanga Te Puna Ora Mahi Pathways Connect Kotahitanga Awhina""".split()

# The shared tag vocabulary: the first ones are the most used.
TAGS = """housing; mental health; whānau; youth; referrals; older people; disability; primary care;
family violence; education; employment; food security; transport; discharge; addiction;
child wellbeing; rural; maternity; kaupapa māori; pacific; refugees; justice; benefits; budgeting;
data sharing; digital access; schools; early years; carers; homelessness; hospital; emergency
housing; oral health; immunisation; prevention; workforce; volunteering; elder abuse;
neighbourhoods; sport and recreation; parenting; language; translation; prison reentry;
care leavers; suicide prevention; gambling harm; alcohol; smoking cessation; diabetes; nutrition;
sleep; loneliness; after hours; telehealth; whānau ora; pharmacy; dental; hearing;
vision""".replace("\n", " ").split("; ")

PREFIXES = """Shared; Single; Joint; Text message; Weekend; Mobile; Peer-led; Online; Walk-in;
After-school; Free; Faster; Simpler; Bilingual; Community; Kaupapa Māori; Same-day; One-stop;
Marae-based; Pop-up; Evening; Nurse-led; School-based; Whānau-led; Digital; Local; Consented;
Pasifika; Youth-led; Volunteer; Rural; Door-to-door; Phone; Group; Early; Warm; Trauma-informed;
Plain-language; Combined; Outreach""".replace("\n", " ").split("; ")

THINGS = """referral pathway; intake form; housing assessment; mental health check-in; lunch
programme; transport vouchers; GP appointments; case conference; benefit application; food
parcels; budgeting service; discharge plan; care plan; health check; reading programme; job
coaching; tenancy support; family meeting; parenting course; medication review; vaccination
clinic; dental clinic; hearing checks; eye tests; counselling sessions; support group; drop-in
centre; client record; consent form; appointment reminders; language support; interpreter
service; respite care; school enrolment; driver licensing; bus passes; heating grants; winter
energy payments; emergency accommodation; hospital visits; after-hours clinic; pharmacy
delivery; prescription service; wellbeing plan; safety plan; bail support; prison release plan;
mentoring scheme; sports programme; holiday programme; breakfast club; homework club; whānau
hui; kaumātua lunches; home visits; nurse visits; triage line; helpline; waiting list; needs
assessment; funding application; outcome survey; feedback form; data dashboard; shared calendar;
resource directory; information sheet; welcome pack; induction training; supervision sessions;
peer support network; carers' network; volunteer roster; community garden; warm homes
programme; insulation scheme; smoke alarm checks; sleep programme; screen-time guide; cooking
classes; swimming lessons; bike library; tool library; laptop loans; wifi hotspots; digital
skills class; phone top-ups""".replace("\n", " ").split("; ")

GROUPS = """whānau; rangatahi; kaumātua; new parents; older people living alone; refugee families;
people leaving prison; carers; young people in care; disabled tenants; students; families in
emergency housing; Pacific families; single parents; people with diabetes; people on the
waiting list; teen parents; school leavers; night-shift workers; farm workers; migrants; people
with dementia; children with asthma; families with a new baby; people leaving hospital; veterans;
job seekers; people in recovery; tamariki; grandparents raising grandchildren; rural families;
people without a car; people without internet; deaf patients; blind patients; renters; boarding
house residents; frequent ED visitors; people on benefits; first-time offenders; hapū
members""".replace("\n", " ").split("; ")

PLACES = """in South Auckland; in rural Northland; across Waikato; in Porirua; in Ōtara; on the
East Coast; in Christchurch; in Dunedin; in Hawke's Bay; in Rotorua; in Whanganui; in Invercargill;
across the region; in Kaitāia; in Gisborne; in Nelson; in Palmerston North; in Hamilton; in
Tauranga; on the West Coast; in Taranaki; in Wairoa; in Masterton; in Levin; in
Timaru""".replace("\n", " ").split("; ")

OUTCOMES = """tell their story once; get help the same day; keep their tenancy; see a GP sooner;
get to appointments; stay in school; find work; eat well; stay warm in winter; leave hospital
safely; get the right benefit; stay connected; feel safe at home; manage their medication;
keep their children home; avoid the emergency department; finish their course; pay their bills;
get a driver licence; understand their options; keep their language; sleep better; stay out of
prison; be heard; get support early""".replace("\n", " ").split("; ")

PAINS = """repeating their story to five agencies; waiting six weeks; losing their tenancy;
missing appointments; falling through the gaps; filling in the same form again; being passed
between services; travelling two hours; giving up; ending up in ED; losing their benefit; being
discharged with no plan; waiting on hold; turning up to a closed office; paying for a
taxi""".replace("\n", " ").split("; ")

STAFF = """social workers; nurses; GPs; teachers; case managers; navigators; kaiāwhina;
receptionists; housing officers; counsellors; youth workers; pharmacists""".replace(
    "\n", " "
).split("; ")

# Content words used to pad sentences: a long tail so that most words are rare.
WORDS = """support service family agency time information people community health team plan
trust contact visit access consent funding staff need help record form workers local process
meeting change outcome barrier cost pilot evidence partner risk practice data system week month
whakapapa tikanga manaakitanga kaitiakitanga aroha mana wairua hapori tūranga kōrero hui
koha kai mahi whare waka reo tikanga pono tika awhi ngākau hauora oranga wellbeing resilience
capacity capability equity culture respect dignity trustworthiness relationships continuity
handover duplication paperwork workload referral assessment eligibility criteria threshold
feedback survey outcomes indicators baseline cohort trial rollout scale budget contract
procurement vendor platform software spreadsheet phone text email letter portal kiosk van bus
train ferry taxi petrol distance weather winter summer holidays evenings weekends school hospital
clinic marae church library hall pharmacy supermarket foodbank op-shop gym pool park playground
garden kitchen laundry bedroom heater blanket insulation mould damp rent bond arrears debt loan
fines licence passport birth-certificate ID bank account card cash voucher grant allowance
benefit payment wage job shift roster training mentor coach volunteer champion leader
manager director board policy guideline rule legislation privacy security safety abuse neglect
violence harm injury illness disease diabetes asthma dementia depression anxiety addiction
alcohol drugs gambling smoking vaping nutrition obesity exercise sleep screen hearing vision
teeth dental eyes ears skin rheumatic fever whooping cough measles immunisation screening
cervical bowel breast prostate cancer heart stroke kidney liver lungs maternity pregnancy
birth baby infant toddler preschool kindergarten primary intermediate secondary tertiary
apprenticeship university polytech NCEA literacy numeracy language interpreter translation
hearing-loop sign disability wheelchair ramp accessible transport carer respite""".split()

COMMENT_OPENERS = [
    "I agree.",
    "Yes — we see this every week.",
    "Good idea.",
    "Kia ora, thanks for posting this.",
    "We tried something like this.",
    "This would help our team.",
    "Could this work for us too?",
    "Love this.",
    "One concern:",
    "Has anyone costed this?",
    "Tautoko.",
    "Keen to help.",
    "A question:",
    "Ka pai.",
    "Worth trying.",
    "Not sure about this.",
]

COMMENT_SENTENCES = [
    "We had the same problem with {thing} for {group} {place}.",
    "Our {staff} spend hours on {thing} because people end up {pain}.",
    "If it let {group} {outcome}, I would support it.",
    "Could we start with a small pilot {place} and measure how many {group} {outcome}?",
    "The hard part is {word} and {word}: who owns the {word}?",
    "Talk to the {staff} {place}; they set up a {prefix} {thing} last year.",
    "We need consent and privacy sorted before any {word} is shared.",
    "Happy to help test it with our {staff}.",
    "The {thing} already exists {place}, but nobody knows about it.",
    "What would it cost per {word}, and who pays after the pilot?",
]

BODY_SENTENCES = [
    "Today {group} {place} end up {pain}.",
    "A {prefix} {thing} would let {group} {outcome}.",
    "We would start {place} with {staff} and two or three agencies.",
    "It needs {word}, {word} and a clear owner for the {word}.",
    "The {staff} we talked to said the biggest barrier is {word}.",
    "Nothing about the {word} or the {word} changes for the agencies involved.",
    "We would measure how many {group} {outcome} after three months.",
    "It builds on the {thing} that {staff} already use.",
    "Consent comes first: {group} decide what is shared and with whom.",
    "The cost is mostly {word} and {word}; the {thing} itself is cheap.",
    "Similar work {place} cut the time spent on {word} by half.",
    "Tikanga and {word} are part of the design from day one, not an afterthought.",
]

SUMMARY_TEMPLATES = [
    "A {prefix} {thing} so that {group} can {outcome}.",
    "{group_cap} {place} {outcome} instead of {pain}.",
    "Stop {group} {pain}: one {prefix} {thing} for every agency.",
    "Use a {prefix} {thing} to help {group} {outcome}.",
]


def _cum(n: int, skew: float) -> list[float]:
    """Cumulative Zipf-like weights for a list of ``n`` items (item i has weight 1/(i+1)^skew)."""
    return list(accumulate(1.0 / (i + 1) ** skew for i in range(n)))


class TextMaker:
    """Deterministic (seeded) titles, summaries, bodies and comments."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cum = {
            "prefix": _cum(len(PREFIXES), 0.8),
            "thing": _cum(len(THINGS), 0.9),
            "group": _cum(len(GROUPS), 0.8),
            "place": _cum(len(PLACES), 0.7),
            "outcome": _cum(len(OUTCOMES), 0.7),
            "pain": _cum(len(PAINS), 0.7),
            "staff": _cum(len(STAFF), 0.7),
            "word": _cum(len(WORDS), 1.0),
        }
        self._lists = {
            "prefix": PREFIXES,
            "thing": THINGS,
            "group": GROUPS,
            "place": PLACES,
            "outcome": OUTCOMES,
            "pain": PAINS,
            "staff": STAFF,
            "word": WORDS,
        }

    def pick(self, kind: str) -> str:
        return self.rng.choices(self._lists[kind], cum_weights=self._cum[kind])[0]

    def fill(self, template: str) -> str:
        parts = template.split("{")
        out = [parts[0]]
        for part in parts[1:]:
            key, rest = part.split("}", 1)
            if key == "group_cap":
                value = self.pick("group")
                value = value[0].upper() + value[1:]
            elif key == "prefix":
                value = self.pick("prefix").lower()
                value = value.replace("māori", "Māori").replace("pasifika", "Pasifika")
            else:
                value = self.pick(key)
            out.append(value)
            out.append(rest)
        return "".join(out)

    def title(self) -> str:
        place = " " + self.pick("place") if self.rng.random() < 0.5 else ""
        return f"{self.pick('prefix')} {self.pick('thing')} for {self.pick('group')}{place}"

    def problem_title(self) -> str:
        return self.fill(
            self.rng.choice(
                [
                    "{group_cap} {place} keep {pain}",
                    "No {thing} for {group} {place}",
                    "{group_cap} cannot {outcome}",
                    "Too much {word} in the {thing}",
                ]
            )
        )

    def summary(self) -> str:
        return self.fill(self.rng.choice(SUMMARY_TEMPLATES))[:300]

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.fill(self.rng.choice(BODY_SENTENCES)) for _ in range(sentences))

    def body(self) -> str:
        rng = self.rng
        paragraphs = [self.paragraph(rng.randint(2, 4)) for _ in range(rng.randint(2, 3))]
        if rng.random() < 0.3:
            paragraphs.append(
                "\n".join(f"- {self.fill('{prefix} {thing}')}" for _ in range(rng.randint(2, 4)))
            )
        return "\n\n".join(paragraphs)

    def benefit(self) -> str:
        return self.fill(
            "{group_cap} {outcome}; {staff} spend less time on {word} and {word}."
        ).capitalize()[:1000]

    def comment(self) -> str:
        rng = self.rng
        sentences = [rng.choice(COMMENT_OPENERS)]
        sentences += [
            self.fill(rng.choice(COMMENT_SENTENCES))
            for _ in range(rng.choices((0, 1, 2, 3), (1, 4, 3, 1))[0])
        ]
        text = " ".join(sentences)
        roll = rng.random()
        if roll < 0.08:
            text += "\n\n" + "\n".join(
                f"- {self.fill('{thing} for {group}')}" for _ in range(rng.randint(2, 3))
            )
        elif roll < 0.15:
            text = f"**{sentences[0]}** " + text[len(sentences[0]) + 1 :]
        return text
