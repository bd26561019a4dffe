"""Demo knowledge articles: practice notes, pathways, lessons learned and evidence summaries,
written as New Zealand social-sector practitioners would write them. Fictional, like the rest of
the demo.

Plain data, so that a seeder can create it through the knowledge services. People are named as in
``demo.people_data.PEOPLE``; ideas and problems by their titles in ``demo.ideas_data``; projects
by their titles in ``demo.projects_data.PROJECTS``; indicators by (dataset slug, indicator code)
as ``commons.datasets.REAL_DATASETS`` defines them. Tags come from ``demo.ideas_data.TAGS``,
the shared vocabulary. Times are in calendar days before the seed runs.

A later revision is written as the earlier text with named changes (``_edit``), so that the
demo's diffs show exactly the small corrections the edit summaries describe. A local version's
first revision starts from the text of its base as it stood on that day (the base's latest
revision saved before it); the base then changes after both local versions were made, in lines
the local versions kept, so "the base changed upstream" can be shown and taken in cleanly.

Evidence summaries never state values from the data: the article page shows the live published
(rounded and suppressed) values beside the text.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RevisionSeed:
    author: str  # a demo person's display name
    body: str  # Markdown
    edit_summary: str
    days_ago: int  # when saved; strictly decreasing along an article's revisions
    title: str = ""  # if the title changed in this revision ("" = unchanged)


@dataclass(frozen=True)
class VerificationSeed:
    revision: int  # 1-based index into revisions
    by: str  # display name; NEVER the author of that revision
    comment: str
    days_ago: int  # after that revision was saved


@dataclass(frozen=True)
class FeedbackSeed:
    by: str
    text: str
    days_ago: int
    response: str = ""  # owner's public response ("" = open, not yet answered)
    resolved: bool = False


@dataclass(frozen=True)
class ArticleSeed:
    key: str  # stable slug-like id
    kind: str  # "practice_note" | "pathway" | "lesson" | "evidence"
    title: str
    summary: str  # plain language, 1–2 sentences a whānau member could read
    owner: str  # display name
    tags: tuple[str, ...]
    revisions: tuple[RevisionSeed, ...]  # oldest first, ≥1; co-authors from ≥2 orgs on several
    review_interval_days: int = 730
    verifications: tuple[VerificationSeed, ...] = ()
    feedback: tuple[FeedbackSeed, ...] = ()
    base: str = ""  # key of the base article this is a local version of
    region: str = ""  # for a local version: the region/organisation it is for
    ideas: tuple[str, ...] = ()  # exact demo idea/problem titles
    projects: tuple[str, ...] = ()  # exact demo project titles
    indicators: tuple[tuple[str, str], ...] = ()  # (dataset slug, indicator code)


KINDS = ("practice_note", "pathway", "lesson", "evidence")
PATHWAY_HEADINGS = ("## Assessment", "## Management", "## Referral", "## Local services")


def _section(text: str, heading: str, new: str) -> str:
    """The text with the section under ``heading`` (up to the next "## " heading, or the end)
    replaced by ``new``, which starts with the same heading."""
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[:start] + new + ("" if end == -1 else text[end:])


def _edit(text: str, *changes: tuple[str, str]) -> str:
    """The text with each (old, new) change made once. A change whose old text is missing is a
    mistake in the data (the revision would silently repeat the one before), so it raises."""
    for old, new in changes:
        if text.count(old) != 1:
            raise ValueError(f"expected exactly one {old!r} in the text to change")
        text = text.replace(old, new)
    return text


# --- exact titles and indicators used more than once --------------------------------------------

DISCHARGE_PROBLEM = "Older people stay in hospital for days after they are ready to go home"
REFERRALS_PROBLEM = "GP referrals to community mental health bounce back and forth"
KAUMATUA_PROBLEM = (
    "Kaumātua in rural Tairāwhiti miss specialist appointments because they can't get there"
)
STORY_PROBLEM = "Whānau have to tell their story again to every agency"

DISCHARGE_PROJECT = "Home-support referral on the day of admission"
REFERRAL_FORM_PROJECT = "One referral form between Porirua practices and community mental health"
PHONE_CALL_PROJECT = "No referral declined without a phone call"
TELEHEALTH_PROJECT = "Telehealth clinics from the marae"
MOTEL_PROJECT = "A shared kitchen in an emergency motel"
ABSENCE_PROJECT = "First-day absence calls in the family's own language"

WHAKAMAUA = "whakamaua-maori-health-indicators"
MH_SEEN_3_WEEKS = (WHAKAMAUA, "3.2 MH services · Proportion of clients seen within 3 weeks")
UNMET_NEED_PROPORTION = (WHAKAMAUA, "1.3 Unmet need · Age-standardised proportion")
UNMET_NEED_COUNT = (WHAKAMAUA, "1.3 Unmet need · Count")
MISSED_PERCENT = (WHAKAMAUA, "2.2 Missed appointments · percent")
MISSED_COUNT = (WHAKAMAUA, "2.2 Missed appointments · missed")
ACUTE_BED_DAYS = (WHAKAMAUA, "4.4 Acute bed days · Age-standardised rate")
FATAL_INJURIES = ("fatal-injuries-by-year-sex-ethnicity-age", "fatal-injuries")
UPTAKE = "covid-vaccination-uptake-by-dhb-ethnicity-age-sex"
BOOSTER_1 = (UPTAKE, "booster-1-received")
ELIGIBLE_BOOSTER_1 = (UPTAKE, "eligible-for-booster-1")


# --- pathway: supported discharge home for older people (base and two local versions) -----------

_DISCHARGE_1 = """\
This pathway is for ward teams planning the discharge of an older person (65 or over, or 55 or
over for Māori and Pacific people) who is going home, with or without support. Good discharge
planning starts on the day of admission, not the day before the person leaves.

## Assessment

1. Record where the person lives, who lives with them, and who helps them now: whānau,
   neighbours, paid carers.
2. Check whether home support might be needed. If it might, note it on the admission
   checklist; the NASC referral is made once the discharge date is known.
3. Occupational therapy assessment of mobility and daily tasks within two working days.
4. Check medicines, memory and mood, and note anything new since the last admission.

## Management

- Set an expected discharge date within 48 hours of admission and tell the person and whānau.
- Order equipment once the OT has assessed what the person needs at home.
- Ring whānau at least two days before discharge to confirm who will be there on the first day.
- The pharmacist reconciles and explains the medicines; give a printed list in plain language.
- Send the discharge summary to the GP on the day the person leaves.

## Referral

- NASC (needs assessment and service coordination) for home support and carer support.
- District nursing for wound care, catheters or injections at home.
- Community physiotherapy or OT for rehabilitation at home.
- The GP, for follow-up within seven days after a new diagnosis or a change of medicines.
- If the person cannot go home safely even with support, talk it through with them and their
  whānau before any referral for a residential care assessment.

## Local services

Each region keeps its own list in a local version of this pathway. In general:

- the district's NASC service for older people;
- the hospital equipment service, for loan equipment;
- community transport for the trip home when whānau cannot drive;
- local kaumātua and community groups who visit in the first week.
"""

_DISCHARGE_2 = _edit(
    _DISCHARGE_1,
    (
        "## Assessment\n\n1. Record",
        "## Assessment\n\n"
        "Start by asking the person, and with their agreement their whānau, what matters most to\n"
        "them about going home. Kaumātua often tell us they would rather go home with a little\n"
        "less support than wait another week on the ward.\n\n"
        "1. Record",
    ),
    (
        "- local kaumātua and community groups who visit in the first week.",
        "- kaumātua and community groups who make a welcome-home visit on the first day, when\n"
        "  the person wants one.",
    ),
)

# After both local versions were made: the two-ward project moved the NASC referral to the day
# of admission and equipment to before the person gets home. Neither local version changed
# these two lines, so each can take the change in cleanly.
_DISCHARGE_3 = _edit(
    _DISCHARGE_2,
    (
        "note it on the admission\n   checklist; the NASC referral is made once the discharge "
        "date is known.",
        "make the NASC referral on the\n   day of admission; NASC closes it if it turns out not "
        "to be needed.",
    ),
    (
        "- Order equipment once the OT has assessed what the person needs at home.",
        "- Order equipment as soon as the OT has assessed what the person needs, for delivery\n"
        "  before the person gets home.",
    ),
)

_WAIKATO_SERVICES = """\
## Local services

For Waikato Hospital's medical wards:

- **NASC:** the Waikato NASC team for older people, through the hospital's electronic referral.
- **Equipment:** the hospital equipment service. Orders in before 11 am are usually delivered
  within Hamilton the next working day; outside Hamilton, allow two working days.
- **Home-support providers:** the daily ten-minute huddle confirms start dates.
- **Transport home:** the ward clerk keeps the list of community transport and volunteer
  drivers; book at least a day ahead.
- **Housing:** if the home is no longer safe (stairs, no heating), the Hamilton City Council
  housing team can talk through council housing for older people.
- **Kaumātua and community visits:** ask the hospital's Māori health team, who know the groups.
"""

_WAIKATO_1 = _section(
    _edit(
        _DISCHARGE_2,
        (
            "- Set an expected discharge date within 48 hours of admission and tell the person "
            "and whānau.",
            "- Set an expected discharge date at the first board round and tell the person and\n"
            "  whānau the same day.\n"
            "- At the 10.30 am huddle with home-support providers, confirm who starts with whom\n"
            "  for everyone going home in the next two days.",
        ),
    ),
    "## Local services",
    _WAIKATO_SERVICES,
)

_WAIKATO_2 = _edit(
    _WAIKATO_1,
    (
        "Orders in before 11 am are usually delivered\n"
        "  within Hamilton the next working day; outside Hamilton, allow two working days.",
        "Orders in before 11 am are usually delivered\n"
        "  within Hamilton the next working day; outside Hamilton, allow two working days. For\n"
        "  a shower stool or toilet frame, the OT can take one from the ward stock on the day.",
    ),
)

_TAIRAWHITI_SERVICES = """\
## Local services

For people going home to Tairāwhiti:

- **NASC:** the Tairāwhiti NASC team at Gisborne Hospital. For homes up the coast, say so on
  the referral: assessors plan their trips north ahead.
- **Equipment:** send small items home with the person; larger items go on the community van,
  which runs up the coast twice a week.
- **Welcome-home visit:** the Tairāwhiti Kaumātua Community Group visits on the first day if
  the person wants it. Ring the kaumātua liaison a day before discharge.
- **Transport home:** the kaumātua group's volunteer driver roster, booked through the liaison.
- **Follow-up:** the rural health clinic nearest the person's home, as well as their GP.
"""

_TAIRAWHITI_1 = _section(
    _edit(
        _DISCHARGE_2,
        (
            "4. Check medicines, memory and mood, and note anything new since the last admission.",
            "4. Check medicines, memory and mood, and note anything new since the last admission.\n"
            "5. Ask how far home is and whether the road is open. For homes up the coast, plan to\n"
            "   leave in the morning so the person arrives in daylight, with food in the house.",
        ),
    ),
    "## Local services",
    _TAIRAWHITI_SERVICES,
)

_TAIRAWHITI_2 = _edit(
    _TAIRAWHITI_1,
    (
        "- If the person cannot go home safely",
        "- The geriatric service's follow-up can be by video from the marae, with a nurse in the\n"
        "  room, on the monthly clinic day: ask the person whether they would prefer that.\n"
        "- If the person cannot go home safely",
    ),
)


# --- pathway: GP referral to community mental health --------------------------------------------

_REFERRAL_1 = """\
This pathway is for GPs and practice nurses referring an adult to the community mental health
team when what the practice can offer is not enough. **If someone is at immediate risk, call
111 or the crisis team: do not use this referral.**

## Assessment

1. Listen first. Ask what the person wants help with, and what they have already tried.
2. Ask about risk to themselves and others, and write it down in their words where you can.
3. Check alcohol and other drug use, physical causes, and current medicines.
4. Ask who supports them (whānau, friends) and whether they want them involved.
5. Ask which language they would like to use, and whether they would like an interpreter.

## Management

- Offer what the practice can do now: a session with the health improvement practitioner,
  a medicines review, and a follow-up appointment within two weeks.
- Agree with the person what to do if things get worse, and give them the crisis number in
  writing.

## Referral

- Use the shared referral form: one form for both teams. The intake team reads "what has been
  tried already" and "what the person wants" first, so fill those in fully.
- Mark it urgent if you would want the person seen within a week.
- The intake team triages within three working days and tells the practice the outcome.
- If you are unsure whether to refer, ring the intake clinician first: a five-minute call saves
  a fortnight of letters.

## Local services

- Community mental health intake line, for referrals and questions before referring.
- The crisis team, any time, for anyone at immediate risk.
- The practice's health improvement practitioner and health coach, same-day where possible.
- Peer support workers at the Ōtautahi trust, who can meet the person while they wait.
- Kaupapa Māori and Pacific mental health services: reception keeps the current list.
- 1737, free to call or text any time, to talk with a trained counsellor.
"""

_REFERRAL_2 = _edit(
    _REFERRAL_1,
    (
        "  writing.\n",
        "  writing.\n"
        "- While they wait, tell the person what happens next and roughly when, who to call if\n"
        "  nothing has happened in a week, and that they can bring someone with them.\n",
    ),
    (
        "- Mark it urgent if you would want the person seen within a week.",
        "- Include a short risk summary: what the risk is, how recent it is, and what keeps the\n"
        "  person safe. Half of the referrals we declined were missing this.\n"
        "- Mark it urgent if you would want the person seen within a week.",
    ),
)

_REFERRAL_3 = _edit(
    _REFERRAL_2,
    (
        "- The intake team triages within three working days and tells the practice the outcome.",
        "- The intake team triages within three working days and tells the practice the outcome.\n"
        "- Before a referral is declined, the intake clinician who read it phones the referrer to\n"
        "  agree another way forward. No referral is declined by letter alone.",
    ),
)


# --- practice notes ------------------------------------------------------------------------------

_INTERPRETERS_1 = """\
Pasifika families tell us they are often asked to "bring someone who speaks English". That
someone is usually a teenager, and the conversation is about their parent's health, money or
safety. This note is how our family support workers book an interpreter instead.

## Before the appointment

- Ask which language the family would like to use, and write it on the file where everyone
  will see it. Do not guess from a surname.
- Book the interpreter at the same time as the appointment, not on the day.
- Ask for an interpreter who is not from the family's own church or village if the family
  would prefer that. In a small community this matters.

## In the room

- Speak to the family, not to the interpreter. Short sentences; one question at a time.
- Give the interpreter a minute at the start to explain their role and that what is said
  stays private.
- Check understanding by asking the family to say back what happens next, in their words.

## If no interpreter can be found

- Rebook rather than go ahead, unless the matter cannot wait.
- If it cannot wait, use a telephone interpreting service and note that you did.
"""

_INTERPRETERS_2 = _edit(
    _INTERPRETERS_1,
    (
        "## If no interpreter can be found",
        "## Never ask a child to interpret\n\n"
        "Children are never used as interpreters, even when the family offers. It puts a child\n"
        "in the middle of adult worries and the message is often softened. Thank the family and\n"
        "explain that this is our rule for everyone.\n\n"
        "## If no interpreter can be found",
    ),
)

_INTERPRETERS_3 = _edit(
    _INTERPRETERS_2,
    (
        "- Book the interpreter at the same time as the appointment, not on the day.",
        "- Book the interpreter at the same time as the appointment, not on the day, and for the\n"
        "  whole appointment, including the time the family may spend waiting.",
    ),
)

_WHO_ELSE_1 = """\
Whānau who come to us are often already working with three or four other services. Unless
someone asks, nobody joins the dots, and the whānau end up telling their story again and again.
This note is about one question at first contact.

## The question

Near the end of the first conversation, ask:

> "Who else is working with you at the moment?"

Ask it plainly and explain why: "so we don't ask you the same things twice, and so we don't
send you somewhere you have already been."

## What to record

- The name of each service and, if the whānau know it, the name of the person there.
- What that service is helping with, in the whānau's words.
- Whether the whānau are happy for us to contact that person.

## What to do next

- If the whānau agree, ring the other worker within a week to say hello and agree who does what.
- If there are three or more services involved, offer a joint meeting.
- Put a reminder on the file to ask again at the next review: things change quickly.

## What not to do

- Do not contact another service without the whānau's agreement, unless there is a safety
  concern and the law allows it.
"""

_WHO_ELSE_2 = _edit(
    _WHO_ELSE_1,
    (
        "- Whether the whānau are happy for us to contact that person.",
        "- Whether the whānau are happy for us to contact that person, and what they are happy\n"
        "  for us to share. The whānau decide what is shared and with whom; write down exactly\n"
        '  what they agreed to, not just "consent given".',
    ),
)

_SCHOOL_RETURN_1 = """\
After the lockdowns, a number of our tamariki stopped coming to school, and some have not been
back for a term or more. Coming back after a long absence is hard for the child and for the
whānau, who may feel judged. This note is how our staff welcome a student back.

## Before the first day

- Ring the whānau, not the student, to agree a start day. Ask what has made school hard.
- Agree a short day or a half week to start if that helps.
- Tell the class teacher and the office so nobody asks "where have you been?" in front of
  the class.

## On the first day

- A staff member the student knows meets them at the gate, by name.
- Give the student a buddy for breaks and lunch.
- Have uniform, stationery and lunch ready if the whānau need them, without making a fuss.

## What to avoid

- No catch-up work on the first day. Learning gaps can be worked out later.
- Do not raise attendance letters or fines at the welcome meeting.
"""

_SCHOOL_RETURN_2 = _edit(
    _SCHOOL_RETURN_1,
    (
        "## What to avoid",
        "## The first week\n\n"
        "- At the end of the first week, the teacher rings the whānau to say one thing that went\n"
        "  well. Whānau told us this mattered more than anything else.\n"
        "- If the student misses a day in the first fortnight, ring home that morning.\n\n"
        "## What to avoid",
    ),
)

_TRAVEL_1 = """\
Many kaumātua up the coast have specialist appointments in Gisborne, and some in Hamilton or
Auckland. Without help with the travel, appointments are missed and people wait months for
another. This note is how our volunteers help kaumātua get there and claim the costs.

## When the appointment letter arrives

- Check the date, time and place with the kaumātua, and ask whether they want someone with them.
- Ask whether they already get help with travel costs. Some will be eligible for the national
  travel assistance scheme for specialist appointments.
- Book a driver from the volunteer roster at least a week ahead.

## Claiming travel costs

- Keep the appointment letter and any fuel or bus receipts.
- Fill in the claim form with the kaumātua after the appointment. Ask the clinic to sign to
  say the appointment was kept.
- Send the claim to the GP practice within a month.

## On the day

- Leave early enough to arrive with time to spare; the road can close without warning.
- Bring kai and water, the appointment letter, and a list of medicines.
- The driver waits or agrees a pick-up time; nobody is left in town without a way home.

## If the appointment cannot be kept

- Ring the clinic as early as possible to rebook, and tell them why. A clinic that knows the
  travel is the problem can sometimes offer a video appointment instead.
"""

_TRAVEL_2 = _edit(
    _TRAVEL_1,
    (
        "- Send the claim to the GP practice within a month.",
        "- Send the claim to the hospital's travel assistance office, not the GP practice, as\n"
        "  soon as you can after the appointment.",
    ),
)

_SUPERVISION_1 = """\
Supervision is the first thing to go when a team is stretched, and the lack of it is one of the
reasons experienced people leave. Our team now protects it the way we protect clinic time.

## How we protect it

- Every clinician has a fixed hour of individual supervision each fortnight, in the calendar a
  year ahead, marked so that it cannot be booked over.
- If supervision has to move, it is rebooked within the same week, by the supervisor.
- The team leader checks monthly that every session happened, and raises it at the management
  meeting if any did not.

## What supervision is for

- Talking through hard work and its effect on the worker, not only case decisions.
- Reflecting on practice, including cultural practice, with a supervisor the worker chose
  where possible. Māori staff can choose cultural supervision from outside the team.
- Planning learning and career steps.

## What it is not

- It is not case review or caseload allocation; those have their own meeting.
- It is not performance management.

## What changed

Since supervision time became protected, fewer sessions have been cancelled and staff tell us
they feel less alone with the hardest work. We are watching whether it helps people stay.
"""

_SUPERVISION_2 = _edit(
    _SUPERVISION_1,
    (
        "## What supervision is for",
        "## In a busy site\n\n"
        "Where one-to-one time is hard to find, a fortnightly group supervision of four to six\n"
        "people, led by a supervisor from outside the line, keeps reflection going between\n"
        "individual sessions. It does not replace them.\n\n"
        "## What supervision is for",
    ),
)

_GREETING_1 = """\
The first person someone meets at our door sets the tone for everything after. Saying a
greeting and a person's name well is a small thing that tells people they are welcome here.

## Greeting people

- "Kia ora" is right for anyone, any time of day. "Tēnā koe" to one person, "tēnā kōrua" to
  two, "tēnā koutou" to three or more, is more formal.
- "Mōrena" in the morning is friendly and common.
- Say goodbye with "ka kite anō" or "hei konā mai".

## Saying names and places

- Vowels are short or long; a macron (ā, ē, ī, ō, ū) means long, and can change the meaning
  of a word: kākā is a parrot, kaka a garment.
- "Wh" is usually said like "f"; "ng" as in "singer".
- Practise the names of our own towns and streets first.

## Using the guide

- Each reception desk has the printed guide and a recording of the sounds.
- New reception staff go through it in their first week with a colleague.
"""

_GREETING_2 = _edit(
    _GREETING_1,
    (
        "- Practise the names of our own towns and streets first.",
        "- Practise the names of our own towns and streets first.\n"
        "- If you are not sure how to say someone's name, ask them, and write how they say it on\n"
        "  their record. Getting it right the second time is what people remember.",
    ),
)


# --- lessons learned -----------------------------------------------------------------------------

_PHONE_CALL_1 = """\
For six weeks, the community mental health team phoned the referring GP before declining any
referral. The call is now standard practice. This is what we learned, drafted from the
project's closure report.

## What we did

- The clinician who read the referral made the call, not admin staff: they know what is
  missing and can agree another way forward on the spot.
- Every call was logged in the intake sheet from day one: who called, how long it took, and
  what was agreed.
- We agreed to stop if calls took more than ten minutes on average. They did not.

## What happened

- Fewer referrals went back to the practice, and the ones that did came with a reason the GP
  could act on.
- In about half the calls, the GP had the missing detail to hand and the referral went ahead.
- GPs told us they heard back weeks sooner than with a letter.

## What we would tell another team

- Start logging on the first day. The numbers persuaded the clinical governance group, and
  memories of "how it used to be" did not.
- Keep the call short and scripted; two minutes is usually enough.
- Let the person being referred know the call is happening. It tells them someone is working
  on their referral.
"""

_PHONE_CALL_2 = _edit(
    _PHONE_CALL_1,
    (
        "## What we would tell another team",
        "## From the practice's side\n\n"
        "A call lets the GP tell the person in front of them what is happening that week, not a\n"
        "month later. Practices should give the intake team a direct number that reaches a\n"
        "clinician, not the main reception line.\n\n"
        "## What we would tell another team",
    ),
)

_MOTEL_1 = """\
We planned a shared kitchen and homework room for families living in one emergency motel in
Hamilton East, run with the motel owner. The project stopped when the owner sold the motel and
the new owner would not take part. This draft comes from the project's closure report.

## What we did

- The first owner agreed to give us a ground-floor room.
- We priced a full kitchen fit-out.
- Our navigator asked families what they would actually use.

## What we learned

- **Get the agreement in writing, for a fixed term, before spending anything.** A spoken yes
  from an owner does not survive a sale.
- **Start with what families ask for.** They asked for a fridge, a microwave and a quiet table
  for homework more than a full kitchen. That costs about a tenth as much and can move with
  them if the motel changes.
- Talking to families early was the most useful thing we did, and it cost nothing.

## Why we stopped rather than start again

No other motel in the cluster had a free ground-floor room this year. We handed what we
learned to the council housing team, so the next attempt starts from here rather than from
scratch.
"""

_MOTEL_2 = _edit(
    _MOTEL_1,
    (
        "- Talking to families early was the most useful thing we did, and it cost nothing.",
        "- Talking to families early was the most useful thing we did, and it cost nothing.\n"
        "  One mother said: \"I don't need an oven. I need somewhere the kids can sit down that\n"
        "  isn't the bed.\"",
    ),
)

_PAPER_FIRST_1 = """\
The practices and the community mental health team are agreeing one referral form. Early on we
decided to test it on paper for a month before building it into the practice system. This
lesson is about that decision, part way through the project.

## Why paper first

Changing the practice management system takes about six weeks of vendor time. If we had built
the first draft, every change after testing would have cost another six weeks. A paper draft
could be changed overnight.

## What testing on paper showed

- Six forms became one, but the first draft was too long. GPs asked for two pages at most, so
  the medication list became an attachment.
- The two sections both teams said they were missing, "what has been tried already" and
  "what the person wants", were the ones GPs filled in most fully.
- The word "urgent" meant different things to each team. We are agreeing a definition before
  the form goes live.

## What we would tell another team

- Test with real referrals, not made-up ones, and time how long the form takes.
- Ask the people who read the form, as well as those who write it.
- Decide in advance what would make you change the draft, so the changes are not endless.
"""

_PAPER_FIRST_2 = _edit(
    _PAPER_FIRST_1,
    (
        "## What we would tell another team",
        "## A problem we did not expect\n\n"
        "Reception scans the paper forms into the patient record, and the scanner lost light\n"
        "pencil ticks in the tick boxes. We now ask for pen, and use the electronic version where\n"
        "the practice can.\n\n"
        "## What we would tell another team",
    ),
)

_TELEHEALTH_1 = """\
Kaumātua in rural Tairāwhiti now see their specialist by video from the marae, with a nurse in
the room, instead of a four-hour round trip. The first clinic has been held; clinics are paused
while the nurse is on leave. This is what we have learned so far.

## What worked

- Holding the clinic at the marae, with kai and familiar faces, made it feel like our place
  rather than a hospital's. Six kaumātua saw their specialist without leaving the coast.
- The nurse in the room made the video consult work: she could take blood pressure, check
  feet and medicines, and ask the question the kaumātua was too whakamā to ask.
- While people were there, the nurse also gave flu vaccines and COVID-19 boosters.

## What we had to fix

- The marae broadband was tested at clinic time, not in the evening, and we keep a phone as a
  back-up in case the video drops.
- Whānau wanted to sit in. We set out enough chairs and asked the specialist to allow time.

## What we learned about risk

- One nurse is a single point of failure. When she went on leave, clinics stopped. Before
  starting clinics elsewhere, arrange relief cover first.
"""

_TELEHEALTH_2 = _edit(
    _TELEHEALTH_1,
    (
        "## What we had to fix",
        "## The clinical side\n\n"
        "Follow-up reviews and medicines changes worked well by video. A first assessment of a\n"
        "new problem, or anything that needs a full examination, still needs an in-person clinic;\n"
        "we book those on the days the community van runs.\n\n"
        "## What we had to fix",
    ),
)


# --- evidence summaries --------------------------------------------------------------------------
# None states a value from the data: the article page shows the live published values.

_MH_WAIT_1 = """\
The referral-form project compares its own waiting times with a national measure from the
Ministry of Health. This summary says what that measure is and how far it can be trusted for
our work.

## What it measures

Whakamaua measure 3.2: the share of clients of mental health services who were seen within
three weeks of referral, each year, for Māori, Pacific peoples and everyone else, and by
gender. It is one of the measures the Ministry uses to monitor Whakamaua, the Māori Health
Action Plan.

## Where it comes from

The Ministry of Health's Whakamaua monitoring data, compiled from its national health
collections and published under CC BY 4.0. The commons holds the file the Ministry published
for its dashboard.

## Caveats

- It is a rate, with no count of people beside it in the file, so it cannot tell us how many
  people waited.
- The Ministry suppressed some cells (shown as "s"); the commons also suppresses any rate whose
  underlying count is under 20.
- It is data about Māori. Restricted, unrounded access needs the agreement of the dataset's
  kaitiaki group.

## What you can read from it

Whether, nationally, Māori are seen within three weeks as often as other people, and whether
that gap is closing from year to year.

## What you cannot read from it

- Anything about one team, practice or town.
- How long people waited after three weeks.
- Anything about referrals that were declined: a person who was never seen is not a "client
  seen". A team that declines more referrals can look better on this measure.
"""

_MH_WAIT_2 = _edit(
    _MH_WAIT_1,
    (
        "- Anything about one team, practice or town.",
        "- Anything about one team, practice or town. The file has national figures only, with\n"
        "  no breakdown by area, so a local figure is being compared with a national one, not\n"
        "  like with like.",
    ),
)

_UNMET_NEED_1 = """\
People tell us they go without seeing a GP because of cost or because they cannot get there.
The national health survey asks about exactly this, and the Ministry of Health publishes the
results as part of its Whakamaua monitoring.

## What it measures

Whakamaua measure 1.3, unmet need: the share of adults and children who needed to see a GP in
the past year but did not, by reason. Reasons include cost, transport, waiting time, work,
caring for a dependant, and owing money to the practice. There are also measures for unfilled
prescriptions because of cost, dental care, and mental health and addiction care.

## Where it comes from

The New Zealand Health Survey, as compiled by the Ministry of Health for Whakamaua (CC BY 4.0).
Years are survey years, July to June, written as "2021/22".

## Caveats

- It is a survey: each figure is an estimate with a 95% confidence interval. Where the interval
  is wide, small differences between years mean nothing.
- The "Count" is the survey's estimate for the whole population, not the number of people asked.
- The age-standardised proportion lets groups with different age profiles be compared fairly,
  but it is not the actual share of any group.
- For this measure, ethnicity is not prioritised: a person who is Māori and Pacific counts in
  both groups.
- The Ministry marks some estimates with a quality flag; read it before quoting a figure.

## What you can read from it

Whether transport or cost keeps Māori and Pacific people from their GP more often than others,
nationally, and whether that is changing.

## What you cannot read from it

- Anything about a region, a town, or rural compared with urban areas.
- Anything about specialist appointments: the questions are about GPs.
"""

_UNMET_NEED_2 = _edit(
    _UNMET_NEED_1,
    (
        "- Anything about specialist appointments: the questions are about GPs.",
        "- Anything about specialist appointments: the questions are about GPs.\n\n"
        "For kaumātua on the coast, what the survey cannot show is the point: a national figure\n"
        "for transport barriers will not show a road that closes in winter. Our own records of\n"
        "missed appointments say more about our area than this measure can.",
    ),
)

_MISSED_1 = """\
Kaumātua on the East Coast miss specialist appointments because the travel is long and hard.
This summary explains the Ministry's measure of missed appointments, which the marae telehealth
clinics want to move.

## What it measures

Whakamaua measure 2.2: hospital outpatient appointments that were missed (the person did not
attend), as a count and as a percentage of appointments, by service (maternity, medical and
surgical), by year and by ethnicity (Māori, Pacific peoples and everyone else). It is broken
down by former District Health Board area, including Tairāwhiti.

## Where it comes from

The Ministry of Health's Whakamaua monitoring data (CC BY 4.0), compiled from hospital records.

## Caveats

- It counts appointments, not people. One person who misses several appointments is counted
  several times.
- Counts are randomly rounded to base 3 by the commons, and counts under 6 are suppressed;
  percentages whose underlying count is under 20 are suppressed too.
- It is data about Māori. Restricted access needs the agreement of the kaitiaki group.

## What you can read from it

Whether Māori in Tairāwhiti miss outpatient appointments more often than other people, for
which kind of service, and whether that changes over the years.

## What you cannot read from it

- Why an appointment was missed. A letter that never arrived, a road that closed, and a
  clinic time no bus could reach all look the same.
- Whether a video appointment was offered instead.
"""

_MISSED_2 = _edit(
    _MISSED_1,
    (
        "## What you can read from it",
        "## What kaumātua tell us\n\n"
        "When we asked, kaumātua named the distance, the cost of fuel, not wanting to go alone,\n"
        "and appointment letters that came after the date. None of that is in the data; it is\n"
        "why the number is worth watching with them, not for them.\n\n"
        "## What you can read from it",
    ),
)

_MISSED_3 = _edit(
    _MISSED_2,
    (
        "It is broken\ndown by former District Health Board area, including Tairāwhiti.",
        "It is broken\ndown by Iwi-Māori Partnership Board area, including Tairāwhiti Toitū Te "
        "Ora, not by\nformer District Health Board.",
    ),
)

_INJURIES_1 = """\
When we were looking for data about harm in families, people pointed us to Stats NZ's fatal
injury figures. This summary explains what they are and why they cannot answer the question we
first asked of them.

## What it measures

The number of people who died of an injury in New Zealand each year, by sex, Māori and
non-Māori, and age group. It is one of Stats NZ's serious injury outcome indicators.

## Where it comes from

Stats NZ (Tatauranga Aotearoa), published under CC BY 4.0. The commons holds a copy
re-published in a public research repository, unchanged.

## Caveats

- Stats NZ has already randomly rounded every value to base 3 (RR3), so small differences
  between years or groups may be rounding. The commons does not round it again.
- Counts under 6 are suppressed.
- These are counts, not rates. The file has no population beside them, so a rising count may
  only mean a growing population.
- The series stops several years ago; it says nothing about recent years.

## What you can read from it

The long-run pattern of injury deaths for Māori and non-Māori, for men and women, and for
children compared with adults.

## What you cannot read from it

- The cause. The file holds all causes of injury together: falls, road crashes, assault and
  self-harm cannot be told apart. It cannot be used as a measure of family violence.
- Where the injury happened, or anything about a region.
- Injuries that did not kill, which are far more common.
"""

_INJURIES_2 = _edit(
    _INJURIES_1,
    (
        "- The series stops several years ago; it says nothing about recent years.",
        "- The series stops several years ago; it says nothing about recent years.\n"
        "- Age groups are five years wide for most of life, but one band runs from 60 to 89. It\n"
        "  cannot separate people in their sixties from people in their eighties, which is where\n"
        "  falls matter most for older people's services.",
    ),
)


# --- the articles --------------------------------------------------------------------------------
# ArticleSeed.title is the title the article was created with; a revision with a title renames it.

ARTICLES: tuple[ArticleSeed, ...] = (
    ArticleSeed(
        key="discharge-home-older-people",
        kind="pathway",
        title="Supported discharge home for older people",
        summary="How the hospital plans for an older person to go home safely, from the day "
        "they arrive on the ward, and who helps once they are home.",
        owner="Dr Leilani Faleolo",
        tags=("older people", "discharge", "hospital", "whānau"),
        revisions=(
            RevisionSeed(
                "Dr Leilani Faleolo",
                _DISCHARGE_1,
                "First version, written with the medical wards from their discharge checklist, "
                "as the shared base each region localises.",
                430,
            ),
            RevisionSeed(
                "Mihi Ruatapu",
                _DISCHARGE_2,
                "Added: start by asking the person and whānau what matters to them; the "
                "welcome-home visit under local services.",
                330,
            ),
            RevisionSeed(
                "Rachel Cooper",
                _DISCHARGE_3,
                "The NASC referral now starts on the day of admission, and equipment is "
                "delivered before the person gets home, as the two-ward project does.",
                4,
            ),
        ),
        verifications=(
            VerificationSeed(
                1,
                "Ruth Ngārimu",
                "Clear and right for the wards. It should start with what the person wants.",
                425,
            ),
            VerificationSeed(
                2, "Kiri Walker", "Checked against the older persons service's standards.", 320
            ),
            VerificationSeed(
                2,
                "Ruth Ngārimu",
                "The first step is right: ask kaumātua what they need before anything else.",
                318,
            ),
            VerificationSeed(
                3,
                "Kiri Walker",
                "Agreed: both wards now refer to NASC on admission, and NASC is ready for it.",
                3,
            ),
            VerificationSeed(
                3,
                "Ruth Ngārimu",
                "Equipment arriving before the person does will make a real difference up the "
                "coast.",
                2,
            ),
        ),
        ideas=(
            DISCHARGE_PROBLEM,
            "Start the home-support referral on the day of admission",
            "Deliver equipment before the person gets home",
            "Kaumātua groups make a welcome-home visit on the first day",
        ),
        projects=(DISCHARGE_PROJECT,),
        indicators=(ACUTE_BED_DAYS,),
    ),
    ArticleSeed(
        key="discharge-home-older-people-waikato",
        kind="pathway",
        title="Supported discharge home for older people (Waikato)",
        summary="The discharge pathway for older people as the Waikato Hospital medical wards "
        "use it, with the local services to call.",
        owner="Rachel Cooper",
        tags=("older people", "discharge", "hospital"),
        base="discharge-home-older-people",
        region="Waikato",
        revisions=(
            RevisionSeed(
                "Rachel Cooper",
                _WAIKATO_1,
                "Local version for the Waikato Hospital medical wards: the daily huddle with "
                "home-support providers and the Waikato services.",
                240,
            ),
            RevisionSeed(
                "Emily Zhang",
                _WAIKATO_2,
                "Added: small bathroom equipment can go home from ward stock on the day.",
                160,
            ),
        ),
        verifications=(
            VerificationSeed(1, "Kiri Walker", "Fine for both medical wards.", 235),
            VerificationSeed(
                2,
                "Wiremu Kingi",
                "Checked the ward stock list with the OT team: correct.",
                150,
            ),
            VerificationSeed(
                2,
                "Chloe Edwards",
                "I checked the council housing and transport details only; the clinical steps "
                "are for the ward team.",
                148,
            ),
        ),
        ideas=(
            DISCHARGE_PROBLEM,
            "A ten-minute daily huddle with home-support providers",
            "Deliver equipment before the person gets home",
        ),
        projects=(DISCHARGE_PROJECT,),
    ),
    ArticleSeed(
        key="discharge-home-older-people-tairawhiti",
        kind="pathway",
        title="Supported discharge home for older people (Tairāwhiti)",
        summary="The discharge pathway for older people going home to Tairāwhiti, including "
        "the long trip up the coast and a welcome-home visit from the kaumātua group.",
        owner="Mihi Ruatapu",
        tags=("older people", "discharge", "kaumātua", "rural"),
        base="discharge-home-older-people",
        region="Tairāwhiti",
        revisions=(
            RevisionSeed(
                "Mihi Ruatapu",
                _TAIRAWHITI_1,
                "Local version for Tairāwhiti, written with the kaumātua group: travel up the "
                "coast and the local services.",
                190,
            ),
            RevisionSeed(
                "Dr Michael Brennan",
                _TAIRAWHITI_2,
                "Added: follow-up with the geriatric service can be by video from the marae.",
                6,
            ),
        ),
        verifications=(
            VerificationSeed(
                1,
                "Dr Michael Brennan",
                "Clinically sound, and the daylight step is a good one.",
                182,
            ),
            VerificationSeed(
                1, "Ruth Ngārimu", "This is how it should work for our kaumātua.", 180
            ),
            VerificationSeed(
                2,
                "Kiri Walker",
                "Agreed with the geriatric service: marae clinics are a proper follow-up.",
                5,
            ),
            VerificationSeed(
                2, "Ruth Ngārimu", "Kaumātua who went to the first clinic would agree.", 4
            ),
        ),
        feedback=(
            FeedbackSeed(
                "Georgia Hall",
                "Could the pathway say who tells the kaumātua group when a discharge date "
                "changes at short notice? Twice this month the welcome-home visit was booked "
                "for the wrong day.",
                3,
            ),
        ),
        ideas=(
            KAUMATUA_PROBLEM,
            "Kaumātua groups make a welcome-home visit on the first day",
            "Telehealth from the marae with a nurse in the room",
        ),
        projects=(TELEHEALTH_PROJECT, DISCHARGE_PROJECT),
    ),
    ArticleSeed(
        key="gp-to-community-mental-health",
        kind="pathway",
        title="GP referral to community mental health",
        summary="What a GP checks and offers before referring someone to the community mental "
        "health team, how to refer so the referral is accepted, and what happens while the "
        "person waits.",
        owner="Dr Leilani Faleolo",
        tags=("mental health", "referrals", "primary care"),
        revisions=(
            RevisionSeed(
                "Dr Leilani Faleolo",
                _REFERRAL_1,
                "First version, agreed at the joint meeting of the practice and the intake team.",
                150,
            ),
            RevisionSeed(
                "Fiona Campbell",
                _REFERRAL_2,
                "Added the risk summary the intake team needs, and what to tell the person "
                "while they wait.",
                95,
            ),
            RevisionSeed(
                "Ben Thompson",
                _REFERRAL_3,
                "Added: the clinician phones the referrer before any referral is declined "
                "(standard since the six-week trial).",
                5,
            ),
        ),
        verifications=(
            VerificationSeed(1, "Fiona Campbell", "Agreed for the intake team.", 145),
            VerificationSeed(
                2,
                "Tom Richards",
                "Checked with the practice nurses: the risk summary is clear and quick to do.",
                88,
            ),
            VerificationSeed(
                2,
                "Ben Thompson",
                "Matches what intake asks for. Signed off for the community team.",
                85,
            ),
        ),
        feedback=(
            FeedbackSeed(
                "Olivia Bennett",
                "The pathway says nothing about what the person is told while they wait. From "
                "lived experience, the silence is the hardest part.",
                120,
                response="Thank you, Olivia. Revision 2 adds what to tell the person while they "
                "wait, including who to call if nothing has happened in a week.",
                resolved=True,
            ),
        ),
        ideas=(
            REFERRALS_PROBLEM,
            "One referral form agreed by both sides",
            "No referral declined without a phone call",
            "Warm handover by video from the GP room",
        ),
        projects=(REFERRAL_FORM_PROJECT, PHONE_CALL_PROJECT),
        indicators=(MH_SEEN_3_WEEKS,),
    ),
    ArticleSeed(
        key="booking-interpreters-pasifika",
        kind="practice_note",
        title="Booking an interpreter for Pasifika families",
        summary="How we make sure a family can speak in their own language at an appointment, "
        "with a trained interpreter and never a child.",
        owner="Lesieli Vea",
        tags=("pasifika", "interpreters", "whānau"),
        revisions=(
            RevisionSeed("Lesieli Vea", _INTERPRETERS_1, "First version.", 260),
            RevisionSeed(
                "Tom Richards",
                _INTERPRETERS_2,
                "Added the rule our practice follows: children are never used as interpreters.",
                200,
            ),
            RevisionSeed(
                "Tevita Lolohea",
                _INTERPRETERS_3,
                "Small correction: book the interpreter for the whole appointment, waiting "
                "time included.",
                70,
            ),
        ),
        verifications=(
            VerificationSeed(
                2,
                "Jessica Moore",
                "The network has made the rule about children its own rule too.",
                190,
            ),
            VerificationSeed(
                3,
                "Moana Teariki",
                "Still right, and the waiting-time point saves a rebooking.",
                60,
            ),
        ),
        feedback=(
            FeedbackSeed(
                "Ana Fifita",
                "Does this apply to youth justice family group conferences too? We book "
                "interpreters through a different service and the rules differ a little.",
                9,
            ),
        ),
        ideas=(
            "Pasifika families can't get an interpreter when they need one",
            "Book the interpreter when the appointment is booked",
            "A clear rule: children are never used as interpreters",
        ),
    ),
    ArticleSeed(
        key="who-else-is-working-with-you",
        kind="practice_note",
        title="One question at first contact",
        summary="Asking whānau which other services are already helping them, so they do not "
        "have to tell their story again.",
        owner="Aroha Ngata",
        tags=("whānau", "information sharing", "consent"),
        revisions=(
            RevisionSeed("Aroha Ngata", _WHO_ELSE_1, "First version.", 210),
            RevisionSeed(
                "Ngaire Rāwiri",
                _WHO_ELSE_2,
                "Clarified that the whānau decide what is shared and with whom; renamed so "
                "the question is in the title.",
                180,
                title="Asking \u201cwho else is working with you?\u201d at first contact",
            ),
        ),
        verifications=(
            VerificationSeed(
                2,
                "Priya Raman",
                "We use this at the service centre now. The consent wording is right.",
                170,
            ),
        ),
        ideas=(
            STORY_PROBLEM,
            "Ask \u201cwho else is working with you?\u201d at first contact",
            "A whānau-held consent card listing who may talk to whom",
        ),
        projects=("Joint first meetings for whānau in Kirikiriroa",),
    ),
    ArticleSeed(
        key="welcoming-tamariki-back-to-school",
        kind="practice_note",
        title="Welcoming tamariki back after a long absence",
        summary="How school staff welcome a child back after weeks or months away, so that "
        "the child and their whānau want to keep coming.",
        owner="Matiu Rewi",
        tags=("schools", "whānau"),
        revisions=(
            RevisionSeed("Matiu Rewi", _SCHOOL_RETURN_1, "First version.", 1720),
            RevisionSeed(
                "Losa Tuilagi",
                _SCHOOL_RETURN_2,
                "Added the first week: a good-news call home, and a call the morning of any "
                "absence.",
                1660,
            ),
        ),
        # Last verified more than two review intervals ago: overdue by more than its interval.
        verifications=(
            VerificationSeed(
                2,
                "Lesieli Vea",
                "Families we support say the good-news call is what made the difference.",
                1600,
            ),
        ),
        feedback=(
            FeedbackSeed(
                "Amit Desai",
                "We now make first-day absence calls in four languages, and this note still "
                "describes the return after the lockdowns. Could it be reviewed?",
                15,
            ),
        ),
        ideas=(
            "Tamariki who stopped coming to school during the pandemic haven't come back",
            "A first-day absence call in the family's own language",
        ),
        projects=(ABSENCE_PROJECT,),
    ),
    ArticleSeed(
        key="kaumatua-travel-to-appointments",
        kind="practice_note",
        title="Helping kaumātua travel to specialist appointments",
        summary="How volunteers help kaumātua get to appointments in town and claim back "
        "the travel costs.",
        owner="Pita Waaka",
        tags=("kaumātua", "rural", "transport"),
        revisions=(
            RevisionSeed("Pita Waaka", _TRAVEL_1, "First version.", 900),
            RevisionSeed(
                "Georgia Hall",
                _TRAVEL_2,
                "Corrected where travel claims go: the hospital's travel assistance office, "
                "not the GP.",
                850,
            ),
        ),
        # Last verified a little over one review interval ago: overdue, without the warning.
        verifications=(
            VerificationSeed(2, "Ruth Ngārimu", "Right for how our volunteers work.", 800),
        ),
        ideas=(
            KAUMATUA_PROBLEM,
            "A volunteer driver roster with fuel vouchers",
            "Pay travel assistance on the day, not weeks later",
        ),
        indicators=(UNMET_NEED_PROPORTION,),
    ),
    ArticleSeed(
        key="protected-supervision-time",
        kind="practice_note",
        title="Protecting supervision time",
        summary="How a team makes sure every worker gets regular supervision, even when the "
        "team is stretched.",
        owner="Fiona Campbell",
        tags=("workforce", "mental health"),
        revisions=(
            RevisionSeed("Fiona Campbell", _SUPERVISION_1, "First version.", 380),
            RevisionSeed(
                "Tama Hēmi",
                _SUPERVISION_2,
                "Added how group supervision keeps reflection going in a busy care and "
                "protection site.",
                300,
            ),
        ),
        verifications=(
            VerificationSeed(1, "Mark Sullivan", "This is our policy now.", 370),
            VerificationSeed(
                2,
                "Ben Thompson",
                "Group supervision as an addition, not a replacement: agreed.",
                290,
            ),
        ),
        ideas=(
            "Experienced frontline staff are leaving faster than we can train new ones",
            "Protected supervision time that can't be booked over",
        ),
    ),
    ArticleSeed(
        key="greetings-and-names-at-reception",
        kind="practice_note",
        title="Greetings and names at reception",
        summary="Simple te reo Māori greetings and how to say people's names well, for "
        "everyone who works at a front desk.",
        owner="Rangi Tipene",
        tags=("te reo māori", "plain language"),
        revisions=(
            RevisionSeed("Rangi Tipene", _GREETING_1, "First version.", 500),
            RevisionSeed(
                "Sarah Patel",
                _GREETING_2,
                "Added what to do when you are not sure how to say a name.",
                460,
            ),
        ),
        verifications=(
            VerificationSeed(
                2, "Hēmi Pōtae", "Ka pai. The part about asking people is the most important.", 450
            ),
        ),
        ideas=("A te reo Māori greeting and pronunciation guide for every reception desk",),
    ),
    ArticleSeed(
        key="lesson-phone-before-declining",
        kind="lesson",
        title="A phone call before declining a referral",
        summary="What the mental health team learned from phoning GPs before turning a "
        "referral down: fewer referrals sent back, and people hear sooner.",
        owner="Ben Thompson",
        tags=("mental health", "referrals", "primary care"),
        revisions=(
            RevisionSeed(
                "Ben Thompson",
                _PHONE_CALL_1,
                "Draft from the project's closure report.",
                7,
            ),
            RevisionSeed(
                "Dr Leilani Faleolo",
                _PHONE_CALL_2,
                "Added the practice's side, and a direct number for the intake team.",
                5,
            ),
        ),
        verifications=(
            VerificationSeed(
                2,
                "Fiona Campbell",
                "Matches the results reported to the clinical governance group.",
                2,
            ),
        ),
        ideas=(REFERRALS_PROBLEM, "No referral declined without a phone call"),
        projects=(PHONE_CALL_PROJECT,),
        indicators=(MH_SEEN_3_WEEKS,),
    ),
    ArticleSeed(
        key="lesson-motel-kitchen",
        kind="lesson",
        title="What a stopped motel kitchen project taught us",
        summary="A plan for a shared kitchen for families in an emergency motel stopped when "
        "the motel was sold. What we would do differently.",
        owner="Paul Henare",
        tags=("housing", "whānau"),
        revisions=(
            RevisionSeed(
                "Paul Henare",
                _MOTEL_1,
                "Draft from the project's closure report.",
                2,
            ),
            RevisionSeed(
                "Hēmi Pōtae",
                _MOTEL_2,
                "Added what one mother told us, with her agreement.",
                1,
            ),
        ),
        ideas=(
            "Families live for months in emergency motels with no kitchen and no school nearby",
            "A shared kitchen and homework room in one motel per cluster",
        ),
        projects=(MOTEL_PROJECT,),
    ),
    ArticleSeed(
        key="lesson-test-the-form-on-paper",
        kind="lesson",
        title="Test a new form on paper before building it",
        summary="Why the referral-form project tested its form on paper first, and what that "
        "showed before anything was built.",
        owner="Fiona Campbell",
        tags=("referrals", "primary care", "mental health"),
        revisions=(
            RevisionSeed(
                "Fiona Campbell",
                _PAPER_FIRST_1,
                "First version, part way through the project.",
                18,
            ),
            RevisionSeed(
                "Tom Richards",
                _PAPER_FIRST_2,
                "Added the scanner problem with pencil ticks.",
                14,
            ),
        ),
        verifications=(
            VerificationSeed(
                2, "Ben Thompson", "Right, and the pen rule has already helped intake.", 10
            ),
        ),
        ideas=("One referral form agreed by both sides",),
        projects=(REFERRAL_FORM_PROJECT,),
    ),
    ArticleSeed(
        key="lesson-first-marae-clinic",
        kind="lesson",
        title="The first telehealth clinic at the marae",
        summary="What kaumātua, the nurse and the specialist learned from the first video "
        "clinic held at the marae, and why clinics paused.",
        owner="Mihi Ruatapu",
        tags=("kaumātua", "rural", "primary care"),
        revisions=(
            RevisionSeed(
                "Mihi Ruatapu",
                _TELEHEALTH_1,
                "First version, after the first clinic.",
                4,
            ),
            RevisionSeed(
                "Dr Michael Brennan",
                _TELEHEALTH_2,
                "Added the clinical side: what works by video and what still needs a clinic.",
                3,
            ),
        ),
        verifications=(
            VerificationSeed(2, "Pita Waaka", "This is how the day went, from the marae side.", 1),
        ),
        ideas=(KAUMATUA_PROBLEM, "Telehealth from the marae with a nurse in the room"),
        projects=(TELEHEALTH_PROJECT,),
        indicators=(BOOSTER_1, ELIGIBLE_BOOSTER_1),
    ),
    ArticleSeed(
        key="evidence-mental-health-seen-within-3-weeks",
        kind="evidence",
        title="Mental health clients seen within three weeks: what the measure says",
        summary="What the national figure for people seen by mental health services within "
        "three weeks means, and what it cannot tell us about our own services.",
        owner="Moana Teariki",
        tags=("mental health", "data", "referrals"),
        revisions=(
            RevisionSeed("Moana Teariki", _MH_WAIT_1, "First version.", 60),
            RevisionSeed(
                "Fiona Campbell",
                _MH_WAIT_2,
                "Clarified: the figures are national only, with no breakdown by area.",
                45,
            ),
        ),
        verifications=(
            VerificationSeed(
                2,
                "Rangi Tipene",
                "A fair reading, and it says plainly that this is data about Māori.",
                40,
            ),
        ),
        ideas=(REFERRALS_PROBLEM,),
        projects=(REFERRAL_FORM_PROJECT,),
        indicators=(MH_SEEN_3_WEEKS,),
    ),
    ArticleSeed(
        key="evidence-unmet-need-for-a-gp",
        kind="evidence",
        title="Going without a GP: the survey measure of unmet need",
        summary="What the national health survey tells us about people who needed a GP but "
        "did not go because of cost or transport, and its limits.",
        owner="Dr Leilani Faleolo",
        tags=("primary care", "data", "transport"),
        revisions=(
            RevisionSeed("Dr Leilani Faleolo", _UNMET_NEED_1, "First version.", 110),
            RevisionSeed(
                "Pita Waaka",
                _UNMET_NEED_2,
                "Added what the measure cannot show for kaumātua on the coast.",
                100,
            ),
        ),
        verifications=(
            VerificationSeed(
                2,
                "Sarah Patel",
                "Checked the survey caveats against the Ministry's notes.",
                95,
            ),
        ),
        ideas=(KAUMATUA_PROBLEM, "Pay travel assistance on the day, not weeks later"),
        indicators=(UNMET_NEED_PROPORTION, UNMET_NEED_COUNT),
    ),
    ArticleSeed(
        key="evidence-missed-outpatient-appointments",
        kind="evidence",
        title="Missed hospital appointments: reading the measure",
        summary="What the figures on missed hospital appointments measure, including for "
        "Tairāwhiti, and why they cannot say why an appointment was missed.",
        owner="Kiri Walker",
        tags=("data", "hospital", "kaumātua"),
        revisions=(
            RevisionSeed("Kiri Walker", _MISSED_1, "First version.", 75),
            RevisionSeed(
                "Mihi Ruatapu",
                _MISSED_2,
                "Added what kaumātua told us about why they miss appointments.",
                70,
            ),
            RevisionSeed(
                "Kiri Walker",
                _MISSED_3,
                "Corrected: the areas are Iwi-Māori Partnership Board areas, not former DHBs.",
                30,
            ),
        ),
        verifications=(
            VerificationSeed(2, "Emily Zhang", "Fair reading of the measure.", 65),
            VerificationSeed(
                3, "Ruth Ngārimu", "Correct, and kaumātua's reasons are in their words.", 28
            ),
        ),
        ideas=(KAUMATUA_PROBLEM, "Book specialist clinics on the days the community van runs"),
        projects=(TELEHEALTH_PROJECT,),
        indicators=(MISSED_PERCENT, MISSED_COUNT),
    ),
    ArticleSeed(
        key="evidence-fatal-injuries",
        kind="evidence",
        title="Fatal injury figures: what they can and cannot tell us",
        summary="What Stats NZ's yearly count of injury deaths shows, and why it cannot be "
        "used to measure family violence.",
        owner="Tama Hēmi",
        tags=("data", "family violence"),
        revisions=(
            RevisionSeed("Tama Hēmi", _INJURIES_1, "First version.", 140),
            RevisionSeed(
                "Wiremu Kingi",
                _INJURIES_2,
                "Added the caveat about the wide 60 to 89 age band.",
                130,
            ),
        ),
        verifications=(
            VerificationSeed(
                2,
                "Grace Liu",
                "Clear about what the figures cannot do, which is what people need to hear.",
                120,
            ),
        ),
        ideas=("Family violence safety plans don't travel with the person",),
        indicators=(FATAL_INJURIES,),
    ),
)
