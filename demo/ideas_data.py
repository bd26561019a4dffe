"""Demo problems, ideas and conversations: fictional, in New Zealand social-sector settings.

People are named as in ``demo.people_data.PEOPLE``. ``posted`` is in working days ago (about nine
weeks of history in all); the seeder schedules supports, comments and decisions after it.
"""

from dataclasses import dataclass

AUTHOR = "@author"  # in a comment: the author of the idea or problem it is on

# The shared vocabulary, created before anything is posted (people may only use known tags).
TAGS = [
    "whānau",
    "older people",
    "discharge",
    "mental health",
    "referrals",
    "housing",
    "youth",
    "schools",
    "information sharing",
    "te reo māori",
    "primary care",
    "family violence",
    "income support",
    "digital",
    "rural",
    "disability",
    "pasifika",
    "workforce",
    "data",
    "transport",
    "interpreters",
    "care leavers",
    "hospital",
    "kaumātua",
    "plain language",
    "consent",
]


@dataclass(frozen=True)
class DemoComment:
    author: str  # a demo person's name, or AUTHOR
    body: str
    reply_to: int | None = None  # index of an earlier comment in the same tuple


@dataclass(frozen=True)
class DemoProblem:
    key: str
    author: str
    posted: float  # working days ago
    title: str
    description: str
    affected: str
    tags: tuple[str, ...]
    organisations: tuple[str, ...]  # short names
    owners: tuple[str, ...] = ()  # added by the author as co-owners
    status: tuple[str, str] | None = None  # set by the author once ideas are moving
    comments: tuple[DemoComment, ...] = ()


@dataclass(frozen=True)
class DemoIdea:
    key: str
    problem: str | None
    author: str
    stage: str
    title: str
    summary: str
    body: str
    benefit: str
    tags: tuple[str, ...]
    reason: str = ""  # the final decision's reason (or the merge's); others come from REASONS
    merge_into: str = ""  # for stage "merged": the key of the idea it duplicates
    decider: str = ""  # who takes the final decision; a steward or problem owner if empty
    coauthors: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()  # organisations besides the author's
    comments: tuple[DemoComment, ...] = ()
    edit: str = ""  # a paragraph the author adds later (an edit, kept as a revision)


# Reasons for the intermediate steps on the way to an idea's stage. {first}: the idea author's
# first name; {org}: their organisation.
REASONS = {
    "discussion": [
        "Moving this to discussion so the people who would have to run it can weigh in. {first}, "
        "could you say roughly what it would take in time and people?",
        "A clear need and a practical idea. Opening it up for discussion before we ask anyone "
        "to commit time to it.",
        "Thanks {first}. Moving to discussion: I'd like to hear from the people who would use "
        "this day to day before we decide anything.",
        "Opening this for discussion. Could anyone who has tried something similar say how it "
        "went?",
        "Worth a proper look. Under discussion until we've heard from colleagues outside "
        "{org} who would be affected.",
    ],
    "shortlisted": [
        "Shortlisted: strong support from the front line, low cost, and {first} has offered to "
        "help lead it.",
        "Shortlisted alongside the other options. We'll choose one or two to take into a "
        "project at the next steering hui.",
        "The discussion answered the main questions. Shortlisting so we can scope a small pilot.",
        "Shortlisted. It is cheap to try and easy to stop if it doesn't work.",
        "Shortlisted: it is practical, and {org} is ready to try it.",
    ],
    "project": [
        "Agreed to run this as a pilot at one site first, with {first} leading. Anyone keen is "
        "welcome to join the project.",
        "Starting a small project with a check-in after six weeks. We'll report back here.",
        "Project set up with time from {org} and one partner organisation.",
    ],
}


# --- problems ----------------------------------------------------------------------------------

PROBLEMS = [
    DemoProblem(
        key="story",
        author="Aroha Ngata",
        posted=44,
        title="Whānau have to tell their story again to every agency",
        description="""\
A whānau I worked with last month had told their story to seven different people in three weeks:
Work and Income, Oranga Tamariki, the school, two health services, a housing provider and a
budgeting service. Every one of us asked the same questions, often in the same order.

Each retelling costs them time off work and bus fares, and for whānau who have been through
violence or a bereavement it means reliving the worst moments again with a stranger. Some simply
stop turning up, and then they are recorded as "disengaged".

We all have good reasons for our own intake questions. Nobody has the job of making the whole
journey make sense.""",
        affected="Whānau working with two or more agencies at once, and the frontline staff who "
        "have to ask them the same questions again.",
        tags=("whānau", "information sharing", "referrals", "consent"),
        organisations=("MSD", "OT", "TWA", "MFSN"),
        owners=("Huia Marsden",),
        status=("in_progress", "Joint first meetings are being piloted in Kirikiriroa."),
        comments=(
            DemoComment(
                "Hēmi Pōtae",
                "Kia ora Aroha. As a navigator I sometimes sit in on four intakes a fortnight "
                "for the same whānau. By the fourth one they answer before the question is "
                "finished.",
            ),
            DemoComment(
                "Grace Liu",
                "Same from the Oranga Tamariki side. We often can't share what we know without "
                "consent, so we ask again — it isn't laziness.",
            ),
            DemoComment(
                AUTHOR,
                "Totally agree Grace, and I'm not blaming anyone. The consent question is "
                "probably where the fix is.",
                reply_to=1,
            ),
        ),
    ),
    DemoProblem(
        key="discharge",
        author="Rachel Cooper",
        posted=42,
        title="Older people stay in hospital for days after they are ready to go home",
        description="""\
On our medical wards, about one bed in six on any given day is taken by an older person who is
medically ready to leave but is waiting: for a home-support assessment, for equipment, for a
rest-home bed, or for someone to confirm that whānau can help for the first week.

Every extra day in hospital costs an older person muscle strength and confidence. We see people
walk in and leave in a wheelchair. Meanwhile the emergency department is boarding patients
because there is no bed upstairs.

The hold-ups are rarely clinical:

- the needs assessment (NASC) referral goes in on the day of discharge, not the day of admission;
- equipment is ordered once the OT has visited, and arrives days later;
- nobody rings whānau until the day before.""",
        affected="Older people and their whānau; ward staff; people waiting in the emergency "
        "department for a bed.",
        tags=("older people", "discharge", "hospital"),
        organisations=("HNZ Waikato", "TKCG"),
        owners=("Dr Michael Brennan",),
        status=("in_progress", "Early NASC referral is running as a project on two wards."),
        comments=(
            DemoComment(
                "Georgia Hall",
                "Can confirm from the social work side. Last week I had three patients waiting "
                "on the same home-support provider, who had no capacity until the following "
                "Monday.",
            ),
            DemoComment(
                "Ruth Ngārimu",
                "Our kaumātua tell us they would rather go home with a bit less support than "
                "wait another week in a ward. Worth asking them what they need first.",
            ),
        ),
    ),
    DemoProblem(
        key="referrals",
        author="Dr Leilani Faleolo",
        posted=40,
        title="GP referrals to community mental health bounce back and forth",
        description="""\
When I refer someone to the community mental health team, about a third of the referrals come
back asking for more information, a different form, or with "does not meet criteria" and no
suggestion of where else to go. Each round trip takes a week or two.

The person in front of me has often taken a long time to ask for help. Telling them "we're still
waiting" for a month is how we lose them.

The two services use different forms and different words for the same things, and there is no
easy way to talk to a clinician before sending the referral.""",
        affected="People asking their GP for mental health help, their whānau, and GPs and "
        "community mental health clinicians.",
        tags=("mental health", "referrals", "primary care"),
        organisations=("PWHC", "OCMHT"),
        owners=("Fiona Campbell",),
        status=("in_progress", "A shared referral form is being tested by both teams."),
        comments=(
            DemoComment(
                "Fiona Campbell",
                "Thanks for raising this so clearly. From our side, half of the declines are "
                "because we can't tell the level of risk from the form. Happy to co-own this.",
            ),
            DemoComment(
                AUTHOR,
                "Thank you Fiona, that's really helpful — and I'd love to co-own it.",
                reply_to=0,
            ),
            DemoComment(
                "Olivia Bennett",
                "From lived experience: being told to go back to your GP after a month of "
                "waiting is crushing. Please keep the person in the middle of this.",
            ),
        ),
    ),
    DemoProblem(
        key="attendance",
        author="Matiu Rewi",
        posted=38,
        title="Tamariki who stopped coming to school during the pandemic haven't come back",
        description="""\
Our attendance has not recovered since 2021. Around a quarter of our students now miss more than
a day a week, and a small group have not been at school for months.

The reasons are mixed: older siblings looking after younger ones while parents work shifts,
anxiety after a long time away, families who moved between emergency housing and lost the
routine, and some who simply feel school is not for them.

Letters and phone calls in English from the office are not working. We need the community with
us.""",
        affected="Tamariki and rangatahi at Ōtara schools and their families; teachers trying to "
        "teach classes that change every day.",
        tags=("schools", "youth", "whānau", "pasifika"),
        organisations=("Ōtara School", "MFSN", "MSD"),
        comments=(
            DemoComment(
                "Tevita Lolohea",
                "Our parents' group would be happy to help. Many families tell us they feel "
                "judged when the school calls.",
            ),
        ),
    ),
    DemoProblem(
        key="motels",
        author="Paul Henare",
        posted=35,
        title="Families live for months in emergency motels with no kitchen and no school nearby",
        description="""\
Emergency housing in motels was meant to be for a week or two. In Kirikiriroa we have families
who have been in motel rooms for six months and more: two adults and four children in one room,
cooking on a two-ring plate, washing in the bathroom sink.

Children change schools each time the family is moved. Parents spend their days on the phone to
different agencies about the next week's booking.

Nobody we talk to thinks this is good for anyone, and it is expensive.""",
        affected="Families in emergency housing, especially their children; the schools and "
        "services that try to keep track of them.",
        tags=("housing", "whānau", "income support", "schools"),
        organisations=("HCC", "MSD", "TWA"),
        comments=(
            DemoComment(
                "Catherine Ross",
                "Council is willing to look at what we can do with land and facilities, but we "
                "need the agencies to come with us.",
            ),
            DemoComment(
                "Hēmi Pōtae",
                "One of my whānau was moved four times in two months. The kids gave up unpacking.",
            ),
        ),
    ),
    DemoProblem(
        key="transport",
        author="Mihi Ruatapu",
        posted=33,
        title="Kaumātua in rural Tairāwhiti miss specialist appointments because they can't get "
        "there",
        description="""\
Specialist clinics are in Gisborne, and some only in Hamilton or Auckland. For kaumātua up the
coast that is a two- to four-hour drive each way, and many no longer drive or have no car that
would make the trip.

Travel assistance exists but is paid weeks afterwards, and you need to know about it and fill in
the forms. Whānau take unpaid days off work to drive, or the appointment is missed and the person
goes to the back of the list.

- the community van runs twice a week and doesn't match clinic days;
- there is no public transport north of Tolaga Bay;
- cellphone coverage is patchy, so video appointments often drop out.""",
        affected="Kaumātua and older people in rural Tairāwhiti, and the whānau who drive them.",
        tags=("rural", "kaumātua", "transport", "older people", "primary care"),
        organisations=("TKCG", "HNZ Waikato"),
        comments=(
            DemoComment(
                "Pita Waaka",
                "We have volunteers who would drive, but they can't afford the petrol for a "
                "300 km round trip every week.",
            ),
        ),
    ),
    DemoProblem(
        key="interpreters",
        author="Lesieli Vea",
        posted=30,
        title="Pasifika families can't get an interpreter when they need one",
        description="""\
Many of the families I support are more comfortable in Tongan or Samoan, especially grandparents
who are raising mokopuna. At the doctor, at school meetings and at Work and Income, an interpreter
is rarely booked in advance and the phone service often can't find one in time.

So children interpret for their parents — about their parents' health, debts, or a sibling's
behaviour at school. It is not fair on the children, and important things get lost or softened.""",
        affected="Pasifika families with limited English, the children asked to interpret, and "
        "the staff who cannot be sure they were understood.",
        tags=("pasifika", "interpreters", "primary care", "schools"),
        organisations=("MFSN", "PWHC", "Ōtara School"),
    ),
    DemoProblem(
        key="care-leavers",
        author="Hannah McKenzie",
        posted=28,
        title="Rangatahi leaving care at 18 fall off a cliff",
        description="""\
Young people leaving Oranga Tamariki care are entitled to transition support, but in practice
many turn 18 with no stable place to live, no bank account in their own name and no idea how to
apply for a benefit or a student allowance.

The week after a birthday should not be the week you lose your home. Most of their peers live
with their parents into their twenties.

We know which young people are turning 18 months in advance. The planning often starts too
late.""",
        affected="Rangatahi leaving care, their caregivers, and the services they turn to when "
        "things go wrong.",
        tags=("youth", "care leavers", "housing", "income support"),
        organisations=("OT", "MSD", "TWA"),
        comments=(
            DemoComment(
                "Nikau Paewai",
                "Ka tika. The young people I work with talk about their 18th as the day "
                "everyone stopped ringing.",
            ),
        ),
    ),
    DemoProblem(
        key="stand-downs",
        author="Karan Singh",
        posted=25,
        title="Stand-downs and paperwork leave people with no income for weeks",
        description="""\
When someone loses work and applies for a benefit, they can face a stand-down of up to two weeks,
and then more waiting if a document is missing. In the meantime rent is due, and people borrow
from family or take high-interest loans that follow them for years.

Many of the people I see had a payslip, a bank statement or an ID document that was not accepted
because it was the wrong format, and had to come back.""",
        affected="People who lose work suddenly, their whānau, and budget advisers and case "
        "managers picking up the pieces.",
        tags=("income support", "whānau"),
        organisations=("MFSN", "MSD"),
        comments=(
            DemoComment(
                "James Whitfield",
                "Fair challenge. Some of this is in the legislation, but a lot of the document "
                "chasing is in our own processes, and we can change those.",
            ),
        ),
    ),
    DemoProblem(
        key="shared-plans",
        author="Huia Marsden",
        posted=22,
        title="Agencies working with the same whānau can't see each other's plans",
        description="""\
For one whānau we support there are five plans: a Whānau Ora plan, an Oranga Tamariki plan, a
school learning support plan, a Work and Income plan and a discharge plan from the hospital. They
contradict each other in places, and the whānau are expected to keep all of them.

Each agency records its work in its own system. Nobody can see who else is involved, let alone
what they have agreed with the whānau.

This is not about building one big database. It is about knowing who to ring.""",
        affected="Whānau with complex needs and every practitioner working with them.",
        tags=("data", "information sharing", "whānau", "consent"),
        organisations=("TWA", "MSD", "OT", "HNZ Waikato"),
        owners=("Rangi Tipene",),
        comments=(
            DemoComment(
                "Daniel O'Connor",
                "Plenty of good will on our side. The hard question is consent, and who holds "
                "the list.",
            ),
        ),
    ),
    DemoProblem(
        key="safety-plans",
        author="Tama Hēmi",
        posted=18,
        title="Family violence safety plans don't travel with the person",
        description="""\
A safety plan made with a specialist family violence service is often unknown to the next service
the person walks into. Reception staff at a service centre or a clinic may unknowingly book the
person at the same time as the person harming them, or ask them to explain their situation at an
open counter.

We need the important parts of a safety plan to be known — with the person's consent — without
the details being spread around.""",
        affected="People experiencing family violence, their tamariki, and frontline staff who "
        "want to keep them safe.",
        tags=("family violence", "information sharing", "consent"),
        organisations=("OT", "MSD", "MFSN"),
    ),
    DemoProblem(
        key="assessments",
        author="Amit Desai",
        posted=15,
        title="Disabled children wait months for an assessment before any support starts",
        description="""\
A child in our junior school with suspected autism can wait nine months or more for a
developmental assessment, and funded support only starts after it. The same child may also be
assessed separately for learning support, for respite and for equipment.

Parents tell us they spend the wait filling in forms that ask the same things, while their child
falls further behind and the family gets more tired.""",
        affected="Disabled tamariki and their whānau, teachers and learning support staff.",
        tags=("disability", "schools", "whānau"),
        organisations=("Ōtara School", "HNZ Waikato"),
    ),
    DemoProblem(
        key="burnout",
        author="Fiona Campbell",
        posted=12,
        title="Experienced frontline staff are leaving faster than we can train new ones",
        description="""\
In the last year our community team lost five of its twelve clinicians, most with more than five
years' experience. New staff take a year to be fully effective, and they are learning from people
who are stretched thin.

Exit conversations point to caseloads, after-hours cover, and supervision that is cancelled
whenever there is a crisis — which is most weeks.""",
        affected="Frontline staff across the sector, and the people who lose a worker they "
        "trusted when someone leaves.",
        tags=("workforce", "mental health"),
        organisations=("OCMHT", "OT", "HNZ Waikato"),
    ),
    DemoProblem(
        key="digital",
        author="Chloe Edwards",
        posted=9,
        title="Services moved online and left behind people without data or devices",
        description="""\
Since the pandemic, more and more services are "online first": forms, bookings, benefit
reviews, even the council's hardship fund. At our community centres we see people who have no
device, no data, or who cannot read the screen.

Many of them are older, disabled, or new to Aotearoa. Some give up on support they are entitled
to.""",
        affected="Older people, disabled people, people on low incomes and new migrants without "
        "reliable internet or devices.",
        tags=("digital", "older people", "income support", "disability"),
        organisations=("HCC", "MSD"),
    ),
]


# --- ideas -------------------------------------------------------------------------------------

IDEAS = [
    # Whānau telling their story again
    DemoIdea(
        key="my-story",
        problem="story",
        author="Hēmi Pōtae",
        stage="shortlisted",
        title="A \u201cmy story\u201d summary that whānau hold and choose to share",
        summary="Help whānau write a one-page summary of their situation, in their own words, "
        "that they can hand to any new service instead of starting again.",
        body="""\
Navigators already help whānau make sense of what is going on. We could finish that first kōrero
with a one-page summary: who is in the whānau, what has happened, what they need now, and which
services are already involved.

The whānau keep it — on paper or on their phone — and decide who sees it. A new service reads it
first and only asks what is missing.

**What it is not:** a referral form or an assessment. It belongs to the whānau.""",
        benefit="Whānau repeat their story less and feel in control of it; new services start "
        "from what is already known.",
        tags=("whānau", "information sharing", "consent"),
        reason="Shortlisted together with the joint first meeting idea. The consent card idea "
        "has the same aim and belongs here: the summary can list who whānau are happy for us "
        "to talk to.",
        partners=("MSD",),
        comments=(
            DemoComment(
                "Aroha Ngata",
                "I'd use this tomorrow. Could it also list what each agency has already asked "
                "for, so we don't ask for the same documents?",
            ),
            DemoComment(
                AUTHOR,
                "Good thinking — I'll add a short \u201cdocuments already given\u201d section.",
                reply_to=0,
            ),
            DemoComment(
                "Grace Liu",
                "We'd need to be careful about what happens if an ex-partner gets hold of it. "
                "Maybe a short version and a full version?",
            ),
        ),
        edit="**Update:** after the comments, the summary will have a short version (safe to "
        "share widely) and a full version whānau keep for services they trust, plus a list of "
        "documents already given.",
    ),
    DemoIdea(
        key="who-else",
        problem="story",
        author="Aroha Ngata",
        stage="implemented",
        title="Ask \u201cwho else is working with you?\u201d at first contact",
        summary="Add one question to our first appointment, and with the person's consent ring "
        "the other worker before we start our own assessment.",
        body="""\
At the service centre we now ask every new client who else is working with them, and whether
they are happy for us to talk to that person.

If they say yes, we make a five-minute call before the full assessment. More often than not the
other worker already has what we need, and the client only has to fill the gaps.

It costs us a phone call. It has saved some people a whole appointment.""",
        benefit="Fewer repeated questions for whānau and faster assessments for case managers.",
        tags=("whānau", "information sharing", "consent"),
        reason="Running at the Hamilton East service centre for six weeks: 41 clients asked, 27 "
        "were working with someone else, and 19 gave consent to a call. Case managers say it "
        "shortens assessments. Now part of our standard first appointment.",
        decider="Mere Tūhoe-Parata",
        comments=(
            DemoComment(
                "Sione Taufa",
                "We started doing this at our desk too. Simple and it works.",
            ),
            DemoComment(
                "Priya Raman",
                "One tip: write down the other worker's name and number in the notes, so the "
                "next case manager doesn't have to ask again.",
            ),
        ),
    ),
    DemoIdea(
        key="joint-first-meeting",
        problem="story",
        author="Ngaire Rāwiri",
        stage="project",
        title="One joint first meeting instead of four separate intakes",
        summary="When a whānau is referred to several services at once, hold one first meeting "
        "with all of them at the marae or at home, led by the whānau's chosen navigator.",
        body="""\
Whānau Ora already works this way. When we know three or four services will be involved, we
invite them all to one hui, at a place the whānau choose, and the whānau tell their story once.

Each service can still ask its own questions, but after hearing the story, not instead of it.
The navigator writes one set of notes that everyone agrees on.

We'd like to try it with Work and Income and Oranga Tamariki for twenty whānau in Kirikiriroa.""",
        benefit="Whānau tell their story once; services agree a plan together from day one.",
        tags=("whānau", "information sharing", "referrals"),
        reason="Agreed as a project: Te Whare Āwhina will lead, with MSD and Oranga Tamariki "
        "each releasing one practitioner for a day a fortnight. Twenty whānau over three months, "
        "then we review together.",
        decider="Rangi Tipene",
        coauthors=("Huia Marsden",),
        partners=("MSD", "OT"),
        comments=(
            DemoComment(
                "Daniel O'Connor",
                "Our site will free up a social worker for this. The time is the hard part, so "
                "let's keep the meetings to two hours.",
            ),
            DemoComment(
                "Tama Hēmi",
                "Will there be a way to meet separately if there are safety concerns? Some "
                "whānau can't talk freely with everyone in the room.",
            ),
            DemoComment(
                AUTHOR,
                "Yes — the navigator checks safety first, and any whānau member "
                "can ask to speak on their own.",
                reply_to=1,
            ),
        ),
    ),
    DemoIdea(
        key="consent-card",
        problem="story",
        author="Priya Raman",
        stage="merged",
        merge_into="my-story",
        title="A whānau-held consent card listing who may talk to whom",
        summary="A simple card the whānau fill in, listing which agencies may share information "
        "about them with each other.",
        body="""\
Consent forms are different at every agency, and whānau sign them without knowing what they agreed
to. A single card, in plain language, would list the agencies and let the whānau tick who may talk
to whom.

Every agency would accept it as consent for the purpose of coordinating support.""",
        benefit="Clear, whānau-controlled consent that every agency accepts.",
        tags=("consent", "information sharing", "whānau"),
        reason="Same aim as the \u201cmy story\u201d summary, which already covers who whānau "
        "want us to talk to. Merged so the supporters and the conversation are in one place.",
    ),
    DemoIdea(
        key="proof-of-identity",
        problem="story",
        author="Sione Taufa",
        stage="discussion",
        title="Stop asking for proof of identity we already hold",
        summary="If a client has already shown ID to one part of MSD, every other part should "
        "be able to see that it was verified.",
        body="""\
Clients are asked for photo ID and proof of address at the front desk, again by their case
manager, and again when they apply for hardship help. Some don't have photo ID at all and have to
get a statutory declaration each time.

We could record once that identity has been verified and who verified it, so nobody asks again
for the same documents within the year.""",
        benefit="Fewer wasted trips for clients and less document handling for staff.",
        tags=("information sharing", "income support"),
        partners=("MSD",),
        comments=(
            DemoComment(
                "James Whitfield",
                "I think the system can already hold this, we just don't use it consistently. "
                "Let me find out.",
            ),
        ),
    ),
    # Older people waiting to go home
    DemoIdea(
        key="nasc-on-admission",
        problem="discharge",
        author="Rachel Cooper",
        stage="project",
        title="Start the home-support referral on the day of admission",
        summary="For every patient over 75 admitted to a medical ward, send the needs-assessment "
        "referral in the first 24 hours instead of waiting for discharge day.",
        body="""\
Most of the waiting at the end of a hospital stay is for a needs assessment and home support. The
NASC referral only goes in once the team decides the person is nearly ready to go.

If we sent a provisional referral in the first 24 hours, the assessor could start early, talk to
whānau, and be ready when the person is. If the person recovers faster than expected, we cancel
it — that costs far less than a bed day.""",
        benefit="Older people go home days sooner and stronger; beds free up for people waiting "
        "in the emergency department.",
        tags=("older people", "discharge", "hospital", "referrals"),
        reason="Project approved for wards 4 and 7. We will measure days from medically ready "
        "to discharge, and cancellations, for three months before deciding on wider rollout.",
        decider="Kiri Walker",
        coauthors=("Wiremu Kingi",),
        comments=(
            DemoComment(
                "Dr Michael Brennan",
                "Strongly support. We tried a version of this in 2019 and it stalled on who "
                "sends the referral — let's name the role this time.",
            ),
            DemoComment(
                AUTHOR,
                "Agreed — the discharge planner sends it, with the charge nurse as backup.",
                reply_to=0,
            ),
            DemoComment(
                "Emily Zhang",
                "Could the OT home visit be booked at the same time? That's often the next "
                "bottleneck.",
            ),
        ),
    ),
    DemoIdea(
        key="home-first",
        problem="discharge",
        author="Emily Zhang",
        stage="shortlisted",
        title="A \u201chome first\u201d bridging team for the first 72 hours",
        summary="A small team of support workers and an OT who visit every day for the first "
        "three days at home, while regular home support is arranged.",
        body="""\
Many people wait in hospital for home support that will only be needed for a few weeks. A
bridging team could take them home and visit daily for the first 72 hours: help with showering,
meals and medication, and check the house is safe.

By day three we know much more about what the person really needs at home than we could ever
learn on the ward.""",
        benefit="Earlier discharge, and home support based on how the person manages at home "
        "rather than on the ward.",
        tags=("older people", "discharge", "hospital"),
        reason="Shortlisted. Needs costing against bed days saved; the early referral project "
        "will tell us how much waiting is left to solve.",
        decider="Kiri Walker",
        comments=(
            DemoComment(
                "Kiri Walker",
                "We'd need to find the workforce. Could existing home-support providers run "
                "this under their current contracts?",
            ),
            DemoComment(
                AUTHOR,
                "Two providers have said they'd be interested if the hours were guaranteed.",
                reply_to=0,
            ),
        ),
    ),
    DemoIdea(
        key="ward-huddle",
        problem="discharge",
        author="Wiremu Kingi",
        stage="implemented",
        title="A ten-minute daily huddle with home-support providers",
        summary="Each morning the charge nurse, the discharge planner and a home-support "
        "coordinator go through everyone who could go home in the next two days.",
        body="""\
We tried it on ward 7: ten minutes at 9:15, standing up, by phone for the providers. For each
patient who could go home in the next two days we check what is booked and what is missing, and
someone takes each action.

It sounds too simple, but it means problems are found on Monday instead of on Thursday
afternoon.""",
        benefit="Fewer last-minute discharge delays; providers know what is coming.",
        tags=("older people", "discharge", "hospital"),
        reason="Now standard on wards 4, 6 and 7. Average wait from medically ready to discharge "
        "down from 3.1 to 2.2 days over eight weeks. Other wards are welcome to copy the format.",
        decider="Kiri Walker",
        comments=(
            DemoComment(
                "Rachel Cooper",
                "Can't imagine the ward without it now. The providers say it helps them too.",
            ),
        ),
    ),
    DemoIdea(
        key="welcome-home",
        problem="discharge",
        author="Mihi Ruatapu",
        stage="discussion",
        title="Kaumātua groups make a welcome-home visit on the first day",
        summary="Partner with local kaumātua and community groups so that someone familiar "
        "visits an older person on their first day home from hospital.",
        body="""\
The first day home is when people fall, forget their pills, or realise the fridge is empty. It is
also lonely.

Our group already visits members when they are unwell. With a phone call from the hospital the day
before discharge, a volunteer could drop in with kai, check the heating is on and that someone is
coming the next day.

We don't need money for this, just a way for the hospital to tell us, with the person's
consent.""",
        benefit="Safer first days at home and fewer readmissions; kaumātua feel cared for by "
        "their own community.",
        tags=("older people", "kaumātua", "discharge"),
        partners=("HNZ Waikato",),
    ),
    DemoIdea(
        key="equipment-first",
        problem="discharge",
        author="Georgia Hall",
        stage="new",
        title="Deliver equipment before the person gets home",
        summary="Order standard equipment (shower stool, toilet frame, walking frame) when the "
        "person is admitted, so it is already in the house on discharge day.",
        body="""\
Many older people go home without the basic equipment they need and manage badly for a week until
it arrives. A small set of standard items could be delivered early, by default, to anyone over 80
admitted with a fall.

Anything not needed can be collected later. Most of it is reused.""",
        benefit="Fewer falls in the first week home, and fewer discharges held up waiting for "
        "equipment.",
        tags=("older people", "discharge", "disability"),
    ),
    DemoIdea(
        key="pay-whanau-carers",
        problem="discharge",
        author="Dr Michael Brennan",
        stage="not_progressed",
        title="Pay whānau carers for the first two weeks after discharge",
        summary="Where whānau are willing to care for an older person at home, pay them for the "
        "first two weeks, as we would pay a home-support provider.",
        body="""\
Whānau are often willing to help but can't take unpaid leave. Paying them for two weeks would
let many older people go home sooner, cared for by people they know.

The cost would be less than a few bed days.""",
        benefit="Earlier discharge, care from people the older person trusts, and income for "
        "whānau who give up work to care.",
        tags=("older people", "whānau", "discharge", "income support"),
        reason="Not progressed here: paying family carers is set by national funding rules that "
        "we can't change locally. We have passed it, with the comments, to the national "
        "older persons' team, and will post their answer.",
        decider="Kiri Walker",
        comments=(
            DemoComment(
                "Ruth Ngārimu",
                "Disappointing but understandable. Please do keep pushing nationally.",
            ),
        ),
    ),
    # GP and mental health referrals
    DemoIdea(
        key="shared-referral-form",
        problem="referrals",
        author="Dr Leilani Faleolo",
        stage="project",
        title="One referral form agreed by both sides",
        summary="GPs and the community mental health team agree a single referral form, with "
        "the information the team must have clearly marked.",
        body="""\
Today there are three versions of the referral form in circulation, and none says which fields
matter. We could sit down together and agree one form:

- the five things the team must have to triage;
- a free-text box for \u201cwhat the person wants help with\u201d, in their words;
- a phone number that reaches a clinician, for questions.

The form would be built into the practice software so it fills in what we already know.""",
        benefit="Fewer referrals returned, faster triage, and people start getting help weeks "
        "earlier.",
        tags=("mental health", "referrals", "primary care"),
        reason="Project started: two practices and the community team will use the new form "
        "for two months. Fiona and Leilani co-lead.",
        decider="Kiri Walker",  # not Fiona: nobody decides on an idea they wrote
        coauthors=("Fiona Campbell",),
        partners=("OCMHT",),
        comments=(
            DemoComment(
                "Sarah Patel",
                "Our practice is happy to be a test site. I can sort out the template in our "
                "software.",
            ),
            DemoComment(
                "Ben Thompson",
                "Please include current medications — we ring back for that more than anything "
                "else.",
            ),
            DemoComment(AUTHOR, "Added to the must-haves. Thanks Ben.", reply_to=1),
        ),
    ),
    DemoIdea(
        key="call-before-decline",
        problem="referrals",
        author="Ben Thompson",
        stage="implemented",
        title="No referral declined without a phone call",
        summary="Before the team declines or returns a referral, a clinician rings the GP to "
        "talk it through and agree what happens next.",
        body="""\
A declined referral is often a misunderstanding that a five-minute conversation would fix. We
could make it a rule: no referral goes back without a call, and the call ends with an agreed next
step for the person — even if that step is somewhere else.""",
        benefit="Nobody is left with a \u201cdoes not meet criteria\u201d letter and nowhere "
        "to go.",
        tags=("mental health", "referrals", "primary care"),
        reason="In place since the start of last month. Returned referrals fell from about 30% "
        "to 12%, and GPs say the calls are useful. Kept as standard practice.",
        comments=(
            DemoComment(
                "Dr Leilani Faleolo",
                "This has made a real difference already. Thank you.",
            ),
            DemoComment(
                "Mark Sullivan",
                "Great work from the team. Let's make sure the calls are counted in workloads.",
            ),
        ),
    ),
    DemoIdea(
        key="warm-handover",
        problem="referrals",
        author="Moana Teariki",
        stage="shortlisted",
        title="Warm handover by video from the GP room",
        summary="For people who are struggling, the health improvement practitioner joins the "
        "GP appointment by video and introduces them to the community team on the spot.",
        body="""\
People are more likely to go to an appointment with someone they have already met. When the GP
thinks a referral is needed, I could join by video for ten minutes, and if the team has a
clinician free, they join too.

The person leaves with a name and a date, not a promise that someone will ring.""",
        benefit="More people make it to their first appointment with the community team.",
        tags=("mental health", "primary care", "referrals"),
        reason="Shortlisted. We'd like to try it once the shared form is working, so we are not "
        "changing everything at once.",
        decider="Fiona Campbell",
    ),
    DemoIdea(
        key="joint-case-review",
        problem="referrals",
        author="Fiona Campbell",
        stage="discussion",
        title="A monthly joint case review between the practice and the team",
        summary="Once a month, GPs and community mental health clinicians talk through the "
        "referrals that got stuck, to learn and fix the system.",
        body="""\
Nobody sees the referrals that fall between the two services. One hour a month, looking at three
or four that went badly, would teach both sides more than any new policy.

We'd keep it blame-free and write down one change each time.""",
        benefit="Both services understand each other better, and the process improves month by "
        "month.",
        tags=("mental health", "primary care", "referrals"),
        partners=("PWHC",),
    ),
    DemoIdea(
        key="self-referral",
        problem="referrals",
        author="Olivia Bennett",
        stage="new",
        title="Let people already known to the service refer themselves back",
        summary="People discharged from the community team in the last two years can ring and "
        "come back without going through their GP again.",
        body="""\
Many people we see have been with the service before and know when they are becoming unwell. Making
them go back to their GP for a new referral adds weeks at exactly the wrong time.

A direct line for people discharged in the last two years would let them come back early, when a
short piece of work can prevent a crisis.""",
        benefit="Earlier help for people who know they are becoming unwell, and fewer crises.",
        tags=("mental health", "referrals"),
    ),
    DemoIdea(
        key="referral-tracker",
        problem="referrals",
        author="Tom Richards",
        stage="discussion",
        title="Let the practice see where a referral is up to",
        summary="A simple status on each referral (received, triaged, booked, declined) that the "
        "practice can check without ringing.",
        body="""\
Patients ask us where their referral is, and we don't know. We ring the team, who are busy, and
often get no answer until the next day.

Even a daily list of the status of our referrals, sent by email, would help. Patients could be
told the truth about the wait.""",
        benefit="Patients know what is happening; fewer phone calls for both teams.",
        tags=("mental health", "referrals", "data"),
    ),
    # School attendance
    DemoIdea(
        key="walking-bus",
        problem="attendance",
        author="Losa Tuilagi",
        stage="implemented",
        title="A morning walking school bus run by parents and grandparents",
        summary="Volunteer parents and grandparents walk set routes each morning and collect "
        "tamariki on the way to school.",
        body="""\
Some of our younger tamariki miss school because there is nobody to walk them while parents are at
work. Three routes, with two adults each, would cover most of the streets around the school.

We'd start with the families whose children miss the most days, and invite them first.""",
        benefit="Younger children get to school safely and on time; parents don't have to "
        "choose between work and school runs.",
        tags=("schools", "whānau", "pasifika"),
        reason="Running on three routes since week 3 of term. 46 tamariki use it; attendance "
        "for those children is up from 78% to 89%. Thank you to the eleven volunteers.",
        decider="Jessica Moore",
        partners=("MFSN",),
        comments=(
            DemoComment(
                "Helen Ward",
                "Our board is very proud of this. Let's tell the story at the next community hui.",
            ),
            DemoComment(
                "Tevita Lolohea",
                "Two grandparents from our Tongan church group have joined the Friday route.",
            ),
        ),
    ),
    DemoIdea(
        key="first-day-call",
        problem="attendance",
        author="Amit Desai",
        stage="project",
        title="A first-day absence call in the family's own language",
        summary="When a child is absent without explanation, someone who speaks the family's "
        "language rings on the first morning — to check in, not to tell off.",
        body="""\
Our absence texts are in English and families tell us they feel judged by them. A short call
from someone who speaks Tongan, Samoan or te reo Māori, asking if everything is OK and whether
the school can help, would tell us much more.

We have staff and parents who could do this for an hour each morning.""",
        benefit="Problems are found early, and families feel supported rather than judged.",
        tags=("schools", "pasifika", "te reo māori", "whānau"),
        reason="Project agreed for terms 3 and 4, with the community family support network "
        "providing two callers. We'll compare attendance with last year's same terms.",
        decider="Jessica Moore",
        partners=("MFSN",),
    ),
    DemoIdea(
        key="breakfast-uniform",
        problem="attendance",
        author="Lesieli Vea",
        stage="discussion",
        title="Breakfast club and uniform swap at the school gate",
        summary="Make the school gate welcoming: a breakfast club and a free uniform swap, so no "
        "child stays home because they're hungry or their uniform doesn't fit.",
        body="""\
Families have told me their children stay home because the uniform is too small or dirty, or
because there is no food in the house. Those are easy things to fix.

A breakfast club from 8 o'clock, and a rack of donated uniforms by the office, would remove two
common reasons for staying home.""",
        benefit="Fewer children kept home for reasons that are easy to fix.",
        tags=("schools", "whānau", "income support"),
    ),
    DemoIdea(
        key="attendance-and-work-brokers",
        problem="attendance",
        author="Isaac Fonoti",
        stage="new",
        title="Attendance officers and Work and Income meeting families together",
        summary="When a child's absence is linked to a parent's work or benefit situation, meet "
        "the family together rather than separately.",
        body="""\
Some older children stay home to look after siblings because a parent has started shift work.
The attendance service and Work and Income both talk to the family, but separately, and each
asks them to fix the other's problem.

A joint visit could sort out childcare assistance and a return-to-school plan in one go.""",
        benefit="Families get practical help with the cause of the absence, not two separate "
        "warnings.",
        tags=("schools", "youth", "income support"),
        partners=("Ōtara School",),
    ),
    DemoIdea(
        key="attendance-bonus",
        problem="attendance",
        author="Sione Taufa",
        stage="not_progressed",
        title="A weekly payment for families when children attend every day",
        summary="Pay a small weekly bonus to families on a benefit when their children attend "
        "school every day.",
        body="""\
Money is a strong motivator, and many families on a benefit are short every week. A small weekly
payment for full attendance could tip the balance for some families.""",
        benefit="Higher attendance, and extra money for families who need it.",
        tags=("schools", "income support"),
        reason="Not progressed. The evidence from overseas is mixed, it would penalise families "
        "whose children are absent for health reasons, and it needs new legislation. The "
        "walking school bus and first-day calls are getting results with families instead.",
        decider="Mere Tūhoe-Parata",
        comments=(
            DemoComment(
                "Matiu Rewi",
                "I understand the thinking, but we worry it would feel like punishment to the "
                "families who are struggling most.",
            ),
            DemoComment(AUTHOR, "Fair point. Happy for this one to go.", reply_to=0),
        ),
    ),
    DemoIdea(
        key="library-hub",
        problem="attendance",
        author="Helen Ward",
        stage="shortlisted",
        title="A learning hub at the library for students not ready for a full class",
        summary="A small, calm space at the community library, with a teacher aide, for "
        "students coming back after a long absence.",
        body="""\
Students who have been away for months find walking into a full classroom overwhelming. A
half-day programme at the library, with a teacher aide and online learning, could be a
stepping stone back.

Students would start there for two or three weeks, then move back into class part-time.""",
        benefit="Students coming back after a long absence have a gentler way back in.",
        tags=("schools", "youth", "mental health"),
        reason="Shortlisted. Council has offered a room at the Ōtara library; we need to confirm "
        "a teacher aide before it can start.",
        decider="Jessica Moore",
        partners=("HCC",),
    ),
    # Emergency housing in motels
    DemoIdea(
        key="motel-school-liaison",
        problem="motels",
        author="Chloe Edwards",
        stage="shortlisted",
        title="A school liaison for families in emergency motels",
        summary="One person who knows every school-age child in the city's emergency motels "
        "and makes sure they are enrolled and getting there.",
        body="""\
When a family moves motel, nobody tells the school. Children drop off rolls for weeks. A liaison,
shared between council and the schools, could keep a list (with consent), help with enrolment and
transport, and be a familiar face.""",
        benefit="Children in emergency housing stay in school through moves.",
        tags=("housing", "schools", "youth"),
        reason="Shortlisted. Council will look at funding half a role if the schools and MSD "
        "can fund the rest.",
        decider="Mere Tūhoe-Parata",
        partners=("Ōtara School",),
    ),
    DemoIdea(
        key="motel-kitchen",
        problem="motels",
        author="Paul Henare",
        stage="project",
        title="A shared kitchen and homework room in one motel per cluster",
        summary="Rent one room in each group of emergency motels and fit it out as a shared "
        "kitchen and a quiet homework space.",
        body="""\
Families in motel rooms can't cook proper meals and children have nowhere to do homework. One room
in each cluster, fitted with a kitchen and a table, would change daily life for dozens of
families.

Community groups have offered to run cooking sessions and homework help in the evenings.""",
        benefit="Healthier meals, a place to do homework, and a bit of community for families "
        "in motels.",
        tags=("housing", "whānau", "schools"),
        reason="Project started at the Ulster Street cluster, with council and a community "
        "trust sharing the cost for six months.",
        decider="Rangi Tipene",
        comments=(
            DemoComment(
                "Hēmi Pōtae",
                "My whānau at Ulster Street are excited. Can we make sure there's a fridge with "
                "space for each family?",
            ),
        ),
    ),
    DemoIdea(
        key="housing-register-text",
        problem="motels",
        author="Priya Raman",
        stage="discussion",
        title="Text families their housing register update every fortnight",
        summary="A short text every two weeks telling families in emergency housing where they "
        "are on the register and what happens next.",
        body="""\
Families ring us constantly to ask where they are on the housing register. A regular text would
give them the information and free up our phones for the calls that need a person.""",
        benefit="Less uncertainty for families; fewer calls to case managers.",
        tags=("housing", "digital", "income support"),
    ),
    DemoIdea(
        key="modular-homes",
        problem="motels",
        author="Catherine Ross",
        stage="discussion",
        title="Council land for modular transitional homes",
        summary="Use empty council land for modular homes, as transitional housing for families "
        "who would otherwise be in motels.",
        body="""\
Council holds several sites that won't be developed for five to ten years. Modular homes could be
placed there quickly and moved later.

A family home with a kitchen and a yard, even for a year, is far better than a motel room, and
may cost less.""",
        benefit="Families get a proper home while they wait; motel spending falls.",
        tags=("housing", "whānau"),
        partners=("MSD",),
    ),
    DemoIdea(
        key="stop-moving-families",
        problem="motels",
        author="Hēmi Pōtae",
        stage="new",
        title="Stop moving families between motels every few weeks",
        summary="Once a family is placed in a motel, keep them there unless they ask to move.",
        body="""\
Families are moved when bookings run out or rooms are needed for someone else. Each move means a
new school run, new neighbours and starting over.

Booking a family for the whole likely stay, rather than week by week, would stop most of the
moves.""",
        benefit="More stability for children and less time spent on bookings.",
        tags=("housing", "whānau", "schools"),
    ),
    # Rural transport
    DemoIdea(
        key="volunteer-drivers",
        problem="transport",
        author="Pita Waaka",
        stage="implemented",
        title="A volunteer driver roster with fuel vouchers",
        summary="A roster of volunteer drivers who take kaumātua to specialist appointments, "
        "with fuel paid up front.",
        body="""\
We have people who would drive, but they can't afford the fuel. If fuel vouchers were given to the
driver before the trip, we could run a roster.

A simple shared calendar would show appointments and drivers. We'd start with appointments in
Gisborne and add longer trips if it works.""",
        benefit="Fewer missed specialist appointments for rural kaumātua.",
        tags=("rural", "transport", "kaumātua"),
        reason="Running since last month with nine drivers. 23 trips so far and no missed "
        "appointments among the people using it. Fuel is funded by the regional health "
        "travel budget.",
        decider="Kiri Walker",
        comments=(
            DemoComment(
                "Ruth Ngārimu",
                "Ka nui te mihi ki a koutou, the drivers. This has changed things for our "
                "kaumātua.",
            ),
        ),
    ),
    DemoIdea(
        key="clinic-van-days",
        problem="transport",
        author="Ruth Ngārimu",
        stage="shortlisted",
        title="Book specialist clinics on the days the community van runs",
        summary="Ask hospital booking staff to offer coast patients appointments on Tuesdays "
        "and Thursdays, when the van already comes to town.",
        body="""\
The community van goes to Gisborne twice a week. If clinics offered rural patients appointments on
those days, many of them could travel on the van.

This needs the booking team to know which patients are from the coast, and to ask.""",
        benefit="Kaumātua can use transport that already exists.",
        tags=("rural", "transport", "hospital", "kaumātua"),
        reason="Shortlisted. Outpatient booking can flag coast addresses; we'll try it with two "
        "clinics first.",
        decider="Kiri Walker",
    ),
    DemoIdea(
        key="marae-telehealth",
        problem="transport",
        author="Mihi Ruatapu",
        stage="project",
        title="Telehealth from the marae with a nurse in the room",
        summary="Follow-up specialist appointments by video from the marae, with a nurse to "
        "help and a reliable connection.",
        body="""\
Many follow-up appointments don't need a physical examination. A room at the marae with good
internet, a screen and a nurse could host them, with whānau alongside.

The nurse can take blood pressure and other observations for the specialist.""",
        benefit="Fewer long trips for kaumātua; whānau can be part of the conversation.",
        tags=("rural", "kaumātua", "digital", "primary care"),
        reason="Project set up with two marae and the cardiology and diabetes clinics. "
        "Connectivity is being installed this month.",
        decider="Kiri Walker",
        partners=("HNZ Waikato",),
    ),
    DemoIdea(
        key="travel-reimbursement",
        problem="transport",
        author="Georgia Hall",
        stage="discussion",
        title="Pay travel assistance on the day, not weeks later",
        summary="Give travel assistance for specialist appointments at the appointment, "
        "instead of reimbursing weeks afterwards.",
        body="""\
Travel assistance is paid after the trip, after forms are filled in and processed. People who
can't afford the fuel in the first place never get to use it.

Paying on the day, at the clinic reception, would make the scheme work for the people it was meant
for.""",
        benefit="People who can't afford to travel can get to their appointments.",
        tags=("transport", "rural", "income support"),
    ),
    DemoIdea(
        key="school-buses",
        problem="transport",
        author="Nikau Paewai",
        stage="not_progressed",
        title="Use school buses between their morning and afternoon runs",
        summary="School buses sit idle between runs; they could take people to appointments in "
        "the middle of the day.",
        body="""\
Rural school buses are parked from 9 until 3. They could run a midday trip to town for people with
appointments.""",
        benefit="Transport to appointments using vehicles already on the road.",
        tags=("rural", "transport"),
        reason="Not progressed: the bus contracts, licensing and insurance don't allow "
        "passengers other than students, and the drivers often do other work during the day. "
        "The volunteer driver roster is covering the need.",
        decider="Kiri Walker",
    ),
    # Interpreters
    DemoIdea(
        key="community-interpreters",
        problem="interpreters",
        author="Tevita Lolohea",
        stage="shortlisted",
        title="A bank of trained, paid community interpreters",
        summary="Train and pay people from our own Pasifika communities as interpreters, "
        "available to local services at short notice.",
        body="""\
Our communities have many bilingual people — retired teachers, church leaders, students. With
training in interpreting ethics and confidentiality, and proper pay, they could be available to
local clinics, schools and Work and Income.

A shared booking phone number would make it easy for services to use them.""",
        benefit="Families are understood, children are not used as interpreters, and community "
        "members earn from their skills.",
        tags=("pasifika", "interpreters"),
        reason="Shortlisted. We're talking to a training provider about a short course, and to "
        "services about sharing the cost.",
        decider="Jessica Moore",
    ),
    DemoIdea(
        key="no-child-interpreters",
        problem="interpreters",
        author="Tom Richards",
        stage="discussion",
        title="A clear rule: children are never used as interpreters",
        summary="Adopt one rule across local services that children don't interpret, and make "
        "the phone interpreting service easy to reach from every room.",
        body="""\
Most services say they don't use children as interpreters, but it still happens when the phone
service is slow. A clear shared rule, posters in the waiting room, and a speed-dial in every
consult room would help staff do the right thing.""",
        benefit="Children are protected, and parents get accurate information.",
        tags=("interpreters", "pasifika", "youth"),
    ),
    DemoIdea(
        key="book-interpreter",
        problem="interpreters",
        author="Lesieli Vea",
        stage="implemented",
        title="Book the interpreter when the appointment is booked",
        summary="Ask about language when an appointment is made, and book the interpreter at "
        "the same time.",
        body="""\
Interpreters are usually requested on the day, when it's too late. If the person making the
booking asks \u201cwhich language would you like to use?\u201d and books an interpreter then, it
is ready when the family arrives.""",
        benefit="Families have an interpreter when they arrive, without waiting or going home.",
        tags=("interpreters", "pasifika", "primary care"),
        reason="Porirua Whānau Health Centre has added the question to its booking script and "
        "the practice system. In the first month 38 appointments had an interpreter booked "
        "ahead. Implemented there; shared as a template for others.",
        decider="Jessica Moore",
        partners=("PWHC",),
        comments=(
            DemoComment(
                "Sarah Patel",
                "Done at our practice. Our reception team say it's easier for them too.",
            ),
        ),
    ),
    DemoIdea(
        key="translated-letters",
        problem="interpreters",
        author="Ana Fifita",
        stage="new",
        title="Key letters in Tongan, Samoan and Cook Islands Māori",
        summary="Translate the ten letters families receive most often into the main Pacific "
        "languages.",
        body="""\
A few letters cause most of the confusion: appointment letters, benefit decisions and school
notices. Having the most common ones professionally translated would help families understand
what they need to do.""",
        benefit="Families understand important letters without needing someone to translate.",
        tags=("pasifika", "interpreters", "plain language"),
    ),
    DemoIdea(
        key="language-on-referrals",
        problem="interpreters",
        author="Moana Teariki",
        stage="merged",
        merge_into="book-interpreter",
        title="Ask about language on every referral form",
        summary="Add \u201cpreferred language\u201d to referral forms so the receiving service "
        "books an interpreter for the first appointment.",
        body="""\
When we refer someone, the receiving service doesn't know they need an interpreter. A preferred
language field on referral forms would let them book one for the first appointment.""",
        benefit="Interpreters booked from the first appointment.",
        tags=("interpreters", "referrals", "pasifika"),
        reason="Same idea as \u201cbook the interpreter when the appointment is booked\u201d, "
        "which is already implemented; the referral form question is now part of it.",
    ),
    # Leaving care
    DemoIdea(
        key="named-adult",
        problem="care-leavers",
        author="Nikau Paewai",
        stage="shortlisted",
        title="A named adult who stays in the young person's life after 18",
        summary="Each rangatahi leaving care chooses an adult — whānau, a former caregiver or a "
        "mentor — who commits to staying in touch for at least three years.",
        body="""\
What young people miss most after 18 is someone to ring. We could help each rangatahi choose one
adult and support that person with a small allowance and training.

The relationship would be agreed in the transition plan, so everyone knows who it is.""",
        benefit="Rangatahi have someone to turn to when things go wrong.",
        tags=("care leavers", "youth", "whānau"),
        reason="Shortlisted. Fits with the transition support service; we need to check how "
        "the allowance would be paid.",
        decider="Rangi Tipene",
    ),
    DemoIdea(
        key="apply-at-17",
        problem="care-leavers",
        author="Isaac Fonoti",
        stage="project",
        title="Start housing and benefit applications at 17 and a half",
        summary="Begin the housing, benefit and bank account paperwork six months before a "
        "young person's 18th birthday.",
        body="""\
Most of what goes wrong at 18 is paperwork: no ID, no bank account, no IRD number, no housing
application. All of it can be started months in advance.

A youth service adviser could meet each rangatahi at 17 and a half with their social worker and
go through a checklist together.""",
        benefit="Rangatahi leave care with income, ID and housing applications in place.",
        tags=("care leavers", "income support", "housing"),
        reason="Project agreed between MSD and Oranga Tamariki in Waikato: a joint checklist, "
        "with the first twelve rangatahi turning 18 next term.",
        decider="Mere Tūhoe-Parata",
        partners=("OT",),
    ),
    DemoIdea(
        key="keep-social-worker",
        problem="care-leavers",
        author="Grace Liu",
        stage="discussion",
        title="Let rangatahi keep their social worker's number for a year",
        summary="Young people can still contact the social worker they know for a year after "
        "leaving care, for advice and a warm handover.",
        body="""\
When a case closes, young people lose contact with the one professional they know. Even an
occasional phone call in the first year could stop a small problem becoming a crisis.""",
        benefit="Continuity for rangatahi in their first year after care.",
        tags=("care leavers", "youth"),
    ),
    DemoIdea(
        key="flatting-kit",
        problem="care-leavers",
        author="Hannah McKenzie",
        stage="new",
        title="A flatting starter kit and bond paid directly to landlords",
        summary="Give every young person leaving care a starter kit of household basics and pay "
        "their first bond directly.",
        body="""\
Young people moving into their first flat arrive with a bag of clothes. A kit with bedding,
kitchen basics and cleaning products, and a bond paid straight to the landlord, would give them a
real start.""",
        benefit="Rangatahi can move into a flat with the basics and without debt.",
        tags=("care leavers", "housing", "income support"),
    ),
    DemoIdea(
        key="plan-in-their-words",
        problem="care-leavers",
        author="Daniel O'Connor",
        stage="implemented",
        title="Transition plans written with the young person, in their words",
        summary="Transition plans are written with the rangatahi at the table, in their own "
        "words, and they keep a copy.",
        body="""\
Too many plans are written about young people, not with them. At our site every transition plan
is now written in a meeting with the young person, and the goals are in their words.""",
        benefit="Plans rangatahi understand and believe in.",
        tags=("care leavers", "youth", "plain language"),
        reason="Adopted as standard practice at our site from this month, with a short guide for "
        "social workers. Feedback from rangatahi has been very positive.",
        decider="Mere Tūhoe-Parata",
    ),
    # Stand-downs
    DemoIdea(
        key="waive-stand-down",
        problem="stand-downs",
        author="Karan Singh",
        stage="not_progressed",
        title="Waive the stand-down for people who lost their job without notice",
        summary="Where someone loses work suddenly with no final pay, waive the stand-down "
        "period automatically.",
        body="""\
The stand-down is meant for people who have savings or a final pay to live on. Many of the people
I see were let go with no notice and no final pay, and still face the stand-down.""",
        benefit="People who lose work suddenly have income straight away.",
        tags=("income support",),
        reason="Not progressed locally: stand-downs are set in legislation, and case managers "
        "already can waive them in hardship. We'll make sure staff know when and how, and have "
        "sent the idea to the national policy team.",
        decider="Mere Tūhoe-Parata",
    ),
    DemoIdea(
        key="same-day-hardship",
        problem="stand-downs",
        author="James Whitfield",
        stage="project",
        title="Decide hardship grants on the day of the first appointment",
        summary="Case managers decide food and rent hardship grants at the first appointment, "
        "rather than after a second one.",
        body="""\
Hardship grants often need a second appointment for documents. Case managers could decide on the
day using the information they have, and check documents afterwards.

The risk of overpayment is small compared to people going without food.""",
        benefit="People facing a stand-down have food and rent covered from day one.",
        tags=("income support", "whānau"),
        reason="Project running at three service centres for eight weeks. We'll track "
        "time-to-payment and any overpayments.",
        decider="Mere Tūhoe-Parata",
    ),
    DemoIdea(
        key="document-checklist",
        problem="stand-downs",
        author="Sione Taufa",
        stage="implemented",
        title="Text a document checklist before the first appointment",
        summary="Send a text with exactly which documents to bring, and examples of what is "
        "accepted, when the appointment is booked.",
        body="""\
Many people come to their first appointment without the right documents and have to come back. A
text listing exactly what to bring, and what counts (for example, an online bank statement is
fine), would save a second trip.""",
        benefit="Fewer wasted appointments and faster payments.",
        tags=("income support", "digital", "plain language"),
        reason="Live across the region since last fortnight. Second appointments for missing "
        "documents have dropped by about a third.",
        decider="Mere Tūhoe-Parata",
    ),
    DemoIdea(
        key="budget-advisers-onsite",
        problem="stand-downs",
        author="Jessica Moore",
        stage="shortlisted",
        title="Budget advisers in the service centre two days a week",
        summary="Budget advisers work from the service centre so people can be referred and "
        "seen the same day.",
        body="""\
People leaving Work and Income with a stand-down often need budgeting help straight away. If a
budget adviser were in the building two days a week, case managers could walk them across the
room.""",
        benefit="People get budgeting help while they are still in the building.",
        tags=("income support", "whānau"),
        reason="Shortlisted. The service centre has a spare interview room on Tuesdays and "
        "Thursdays; we need to agree the data-sharing terms.",
        decider="Mere Tūhoe-Parata",
        partners=("MSD",),
    ),
    # Shared plans
    DemoIdea(
        key="lead-practitioner",
        problem="shared-plans",
        author="Huia Marsden",
        stage="shortlisted",
        title="One lead practitioner per whānau, known to every agency",
        summary="Each whānau with several services chooses one lead practitioner, recorded "
        "where all the agencies can see it.",
        body="""\
Even when we can't share plans, we can share who to ring. If each whānau chose one lead
practitioner, and every agency recorded that name, the lead could coordinate and the whānau would
have one person to go to.""",
        benefit="Whānau have one point of contact; agencies know who is coordinating.",
        tags=("whānau", "information sharing", "consent"),
        reason="Shortlisted: it is the simplest version of the shared plan, and builds on the "
        "joint first meetings project.",
        decider="Rangi Tipene",
    ),
    DemoIdea(
        key="whos-involved-list",
        problem="shared-plans",
        author="Mere Tūhoe-Parata",
        stage="project",
        title="A consent-based \u201cwho's involved\u201d list, not a shared database",
        summary="With the whānau's consent, a simple list of which services and practitioners "
        "are involved, that each of them can see.",
        body="""\
Sharing whole case files raises serious privacy questions. Sharing who is involved, with consent,
is much simpler. A list with names, phone numbers and roles would let practitioners ring each
other.

It could start as a shared document for a small group of whānau, before any system is built.""",
        benefit="Practitioners can find each other; whānau control what is shared.",
        tags=("information sharing", "data", "consent"),
        reason="Project agreed with a privacy impact assessment first. It starts as a shared "
        "document for the 20 whānau in the joint first meetings pilot.",
        decider="Rangi Tipene",
        partners=("TWA", "OT"),
    ),
    DemoIdea(
        key="use-existing-agreements",
        problem="shared-plans",
        author="Daniel O'Connor",
        stage="discussion",
        title="Use the information-sharing agreements we already have",
        summary="Before building anything, map the information-sharing agreements already in "
        "place and train staff to use them.",
        body="""\
Several agreements under the Privacy Act and the Oranga Tamariki Act already allow us to share
information in some situations. Most frontline staff don't know what they allow.

A one-page guide and a short training session might unlock a lot of sharing we are already
allowed to do.""",
        benefit="Staff share what they are allowed to, safely and confidently.",
        tags=("information sharing", "consent", "workforce"),
    ),
    DemoIdea(
        key="whanau-held-plan",
        problem="shared-plans",
        author="Ngaire Rāwiri",
        stage="new",
        title="One plan in the whānau's own words, held by the whānau",
        summary="Replace five agency plans with one plan written with the whānau, which each "
        "agency adds its part to.",
        body="""\
Whānau should have one plan, in their own words, that covers their goals. Each agency could add
its own section to that plan, instead of writing its own.

The whānau keep the plan and bring it to meetings.""",
        benefit="Plans that make sense to whānau and don't contradict each other.",
        tags=("whānau", "information sharing", "te reo māori"),
    ),
    DemoIdea(
        key="national-system",
        problem="shared-plans",
        author="Priya Raman",
        stage="not_progressed",
        title="One national case-management system for all agencies",
        summary="Build a single case-management system that every social-sector agency uses.",
        body="""\
The real fix is for all agencies to use the same system. Then every practitioner could see the
whole picture.""",
        benefit="A complete picture of each whānau's support.",
        tags=("data", "information sharing"),
        reason="Not progressed: this is years of work and money we don't control, and it raises "
        "privacy questions whānau have told us they care about. The \u201cwho's involved\u201d "
        "list tests the same need in weeks.",
        decider="Rangi Tipene",
        comments=(
            DemoComment(
                "Huia Marsden",
                "Agree with the decision. Whānau have told us clearly they don't want one big "
                "file about them.",
            ),
        ),
    ),
    # Safety plans
    DemoIdea(
        key="safety-plan-phone",
        problem="safety-plans",
        author="Grace Liu",
        stage="discussion",
        title="A safety plan summary the person can carry on their phone",
        summary="A short, discreet summary of the safety plan that the person can show to any "
        "service, if they choose.",
        body="""\
The person is the best carrier of their own safety plan. A short summary — who to call, what to
avoid, what helps — could be kept on their phone in a discreet form, and shown to a new service
when they want to.""",
        benefit="People control their safety information and don't have to explain it at "
        "every counter.",
        tags=("family violence", "consent", "digital"),
    ),
    DemoIdea(
        key="fv-specialist-onsite",
        problem="safety-plans",
        author="Tama Hēmi",
        stage="shortlisted",
        title="A family violence specialist at the service centre one day a week",
        summary="A specialist from a family violence service works from the service centre "
        "every Wednesday.",
        body="""\
Many people experiencing violence first disclose at Work and Income or at a clinic. A specialist
in the building once a week would mean staff can introduce them the same day, and learn from
them.""",
        benefit="Faster specialist help, and more confident frontline staff.",
        tags=("family violence", "workforce"),
        reason="Shortlisted. A specialist service has agreed in principle; we need a private room.",
        decider="Jessica Moore",
        partners=("MSD", "MFSN"),
    ),
    DemoIdea(
        key="discreet-flag",
        problem="safety-plans",
        author="James Whitfield",
        stage="new",
        title="A discreet safety flag at reception",
        summary="A simple flag on a client's record that tells reception to use a private room "
        "and not to book them alongside certain people, without recording the details.",
        body="""\
Reception staff don't need the details, only to know that care is needed. A flag that says
\u201cprivate room, check before booking\u201d would avoid the worst mistakes.""",
        benefit="People at risk are not put in danger by an appointment booking.",
        tags=("family violence", "consent"),
    ),
    # Disability assessments
    DemoIdea(
        key="accept-school-assessment",
        problem="assessments",
        author="Amit Desai",
        stage="discussion",
        title="Accept the school's learning support assessment as evidence",
        summary="Let funders accept a school's learning support assessment as evidence, so "
        "families don't need a second one.",
        body="""\
Our learning support team already does a detailed assessment of each child's needs. Funders ask
for their own assessment, which often repeats ours.

If funders accepted ours as evidence for some support, families could get help months sooner.""",
        benefit="Children get support sooner, and families fill in fewer forms.",
        tags=("disability", "schools"),
    ),
    DemoIdea(
        key="interim-support",
        problem="assessments",
        author="Emily Zhang",
        stage="new",
        title="Interim support while a child waits for assessment",
        summary="Offer a few hours of support and a named contact while the family waits for a "
        "developmental assessment.",
        body="""\
The wait for an assessment is the hardest time for families. A small amount of support, and a
person to call, would make the wait easier and stop things getting worse.""",
        benefit="Families are supported during the wait, not only after it.",
        tags=("disability", "whānau"),
    ),
    DemoIdea(
        key="about-me-passport",
        problem="assessments",
        author="Losa Tuilagi",
        stage="implemented",
        title="An \u201cabout me\u201d passport for disabled children",
        summary="A short document, written with the family, describing the child's needs, what "
        "helps and what to avoid, to share with every new professional.",
        body="""\
Every new teacher, therapist or respite carer asks the same questions. A two-page passport, with
a photo and the child's own words where possible, answers most of them.

We made one for three children in my class and parents loved it.""",
        benefit="Less repetition for families and better-informed professionals.",
        tags=("disability", "schools", "whānau"),
        reason="Learning support has adopted the template for every child on our register; "
        "three other schools have asked for it.",
        decider="Jessica Moore",
        comments=(
            DemoComment(
                "Amit Desai",
                "We've made it part of the learning support plan. Parents can take it anywhere.",
            ),
        ),
    ),
    # Workforce
    DemoIdea(
        key="protected-supervision",
        problem="burnout",
        author="Ben Thompson",
        stage="implemented",
        title="Protected supervision time that can't be booked over",
        summary="Block one hour of clinical supervision a fortnight for every clinician, and "
        "never cancel it for anything but an emergency.",
        body="""\
Supervision is the first thing to go when we are busy, which is when we need it most. If it were
blocked in everyone's calendar, and only a team leader could cancel it, it would happen.""",
        benefit="Clinicians are supported, make better decisions and stay longer.",
        tags=("workforce", "mental health"),
        reason="In place for the whole team. Supervision attendance went from about half to "
        "over 90% in the first month.",
        decider="Fiona Campbell",
    ),
    DemoIdea(
        key="peer-support-workers",
        problem="burnout",
        author="Olivia Bennett",
        stage="shortlisted",
        title="A peer support worker in every community team",
        summary="Add a peer support worker with lived experience to every community mental "
        "health team.",
        body="""\
Peer support workers take on work that clinicians don't need to do, and bring a different kind
of relationship. Teams with peer workers tell us they feel less stretched.""",
        benefit="Better support for people using the service, and a lighter load for clinicians.",
        tags=("workforce", "mental health"),
        reason="Shortlisted for next year's budget; we'll start with one team.",
        decider="Fiona Campbell",
    ),
    DemoIdea(
        key="four-day-fortnight",
        problem="burnout",
        author="Mark Sullivan",
        stage="discussion",
        title="Trial a nine-day fortnight for frontline staff",
        summary="Frontline staff work nine days a fortnight at the same pay, for a six-month "
        "trial.",
        body="""\
Other sectors have tried shorter weeks with good results for wellbeing and retention. We would
like to trial it in one team, with clear measures and a way to stop if it isn't working.""",
        benefit="Better wellbeing and retention for frontline staff.",
        tags=("workforce",),
    ),
    DemoIdea(
        key="secondments",
        problem="burnout",
        author="Kiri Walker",
        stage="discussion",
        title="Secondments between agencies instead of losing people",
        summary="Offer experienced staff a six-month secondment to another agency, as a change "
        "and a chance to learn, rather than losing them.",
        body="""\
People often leave because they need a change. A secondment to a partner agency would give them
one without losing them from the sector, and would build relationships between us.""",
        benefit="Experienced people stay in the sector, and agencies understand each other better.",
        tags=("workforce",),
        partners=("OCMHT", "OT"),
    ),
    # Digital access
    DemoIdea(
        key="device-loan",
        problem="digital",
        author="Chloe Edwards",
        stage="project",
        title="Lend devices and data from the library, with someone to help",
        summary="Libraries lend tablets with data, and library staff help people use them to "
        "reach services.",
        body="""\
Libraries are trusted, open long hours, and already help people online. A loan scheme for tablets
with data, plus a drop-in help desk, would reach people who would never call a helpline.""",
        benefit="People without devices can reach services they are entitled to.",
        tags=("digital", "older people", "income support"),
        reason="Project agreed with the library service: 30 tablets, two branches, starting next "
        "month.",
        decider="Mere Tūhoe-Parata",
        partners=("MSD",),
    ),
    DemoIdea(
        key="keep-phone-line",
        problem="digital",
        author="Pita Waaka",
        stage="new",
        title="Keep a phone line with a real person for every online form",
        summary="Every service that moves a form online keeps a phone number where a person "
        "can fill it in with you.",
        body="""\
Many of our kaumātua will never use an online form. Every online form should have a phone
number next to it where someone fills it in with you.""",
        benefit="Nobody is excluded from services because they can't use a computer.",
        tags=("digital", "older people", "kaumātua"),
    ),
    DemoIdea(
        key="digital-navigator",
        problem="digital",
        author="Catherine Ross",
        stage="discussion",
        title="A digital navigator at the community centre on benefit days",
        summary="A trained helper at the community centre on the days people come to sort out "
        "their benefits and bills.",
        body="""\
Our community centres are busiest on benefit days. A digital navigator there could help people
with online forms, set up a MyMSD login, and show them how to use it next time.""",
        benefit="People learn to use online services with someone alongside them.",
        tags=("digital", "income support"),
        partners=("MSD",),
    ),
    # Not attached to a problem
    DemoIdea(
        key="reception-te-reo",
        problem=None,
        author="Rangi Tipene",
        stage="implemented",
        title="A te reo Māori greeting and pronunciation guide for every reception desk",
        summary="A card at every reception desk with common greetings, and a short guide to "
        "pronouncing the names of local places and whānau.",
        body="""\
Getting someone's name right is the first sign of respect. A laminated card with greetings and a
pronunciation guide, and a ten-minute session for reception staff, costs almost nothing.""",
        benefit="Whānau feel welcomed; staff feel confident.",
        tags=("te reo māori", "workforce"),
        reason="Cards are at every reception desk in our partner organisations, and 60 staff "
        "have done the session. Thanks to everyone who helped.",
        decider="Mere Tūhoe-Parata",
    ),
    DemoIdea(
        key="what-we-tried",
        problem=None,
        author="Wiremu Kingi",
        stage="discussion",
        title="A monthly \u201cwhat we tried\u201d note across organisations",
        summary="A short monthly note from each organisation about one thing they tried, what "
        "happened and what they learned.",
        body="""\
We learn most from what others have tried, including what didn't work. A short monthly note,
shared here, would spread good ideas faster than any conference.""",
        benefit="Good ideas spread faster; fewer repeated mistakes.",
        tags=("workforce", "data"),
    ),
    DemoIdea(
        key="feedback-koha",
        problem=None,
        author="Hēmi Pōtae",
        stage="new",
        title="A koha for whānau who give us feedback",
        summary="Offer a koha to whānau who take the time to tell us how our services worked "
        "for them.",
        body="""\
We ask whānau for feedback but rarely value their time. A koha, such as a food voucher, would
show respect and get us honest feedback from people we don't usually hear from.""",
        benefit="Better feedback from a wider range of whānau.",
        tags=("whānau", "data"),
    ),
    DemoIdea(
        key="plain-language-letters",
        problem=None,
        author="Priya Raman",
        stage="shortlisted",
        title="A plain-language review of every letter we send",
        summary="Review our most common letters with clients and rewrite them in plain language.",
        body="""\
Many of our letters are hard to understand even for staff. Rewriting the most common ones with
people who receive them would reduce confusion and calls.""",
        benefit="Clients understand what they need to do; fewer calls to ask.",
        tags=("plain language", "income support"),
        reason="Shortlisted. We'll start with the five letters that generate the most calls.",
        decider="Mere Tūhoe-Parata",
    ),
    DemoIdea(
        key="services-directory",
        problem=None,
        author="Georgia Hall",
        stage="not_progressed",
        title="A shared directory of who does what in each town",
        summary="An up-to-date list of local services, what they offer and how to refer.",
        body="""\
Every team keeps its own list of local services, and they are all out of date. One shared
directory would save everyone time.""",
        benefit="Staff find the right service faster.",
        tags=("information sharing", "referrals"),
        reason="Not progressed because it already exists: the national Family Services "
        "Directory lists local services and is kept up to date by the providers. We have "
        "linked it from the resources page, and asked teams to update their entries.",
        decider="Rangi Tipene",
        comments=(
            DemoComment(
                AUTHOR,
                "Ha, I had no idea. Thanks — I'll share the link with my team.",
            ),
        ),
    ),
]


# General comments that fit any idea: {org} is the commenter's organisation.
IDEA_COMMENTS = [
    "We tried something close to this at {org} a couple of years ago. Happy to share what worked "
    "and what didn't.",
    "Who would own this day to day? That's usually where ideas like this fall over for us.",
    "Supporting. This would make a real difference for the whānau I work with.",
    "Keen to help test this if it goes ahead.",
    "Has anyone asked the people affected what they think? Happy to help set up a hui.",
    "Is there any data on how often this happens? Even a rough count from one site would help "
    "make the case.",
    "Love this. The hard part will be keeping it going after the first three months.",
    "Could this work in rural areas too, where one worker covers a huge patch?",
    "Small, cheap, and we could start next week.",
    "How would we know it's working? Suggest we agree one or two measures up front.",
    "Our team would back this. Happy for {org} to be a pilot site.",
    "Kia ora, just adding my support. This comes up in our team meetings every week.",
    "Please make sure it works for people whose first language isn't English.",
    "Could this sit inside an existing contract, rather than needing new money?",
    "Ka pai. Simple and whānau-centred.",
    "Worth involving the people whose workload this changes early on.",
    "I'd want to hear from kaumātua about this before we go further.",
    "We've seen the same thing at {org}. Count us in.",
    "What happens after hours? A lot of the hard moments are at night or on weekends.",
    "Good idea. Let's not make it another form.",
    "Kia ora. I'd be interested in how this would work for whānau who move around a lot.",
    "Our manager asked me to say {org} is interested. Who should we talk to?",
    "This is the sort of practical change that makes a difference on a Monday morning.",
    "Would need a bit of training for new staff, but nothing big.",
    "We did a small version of this last year and it worked until the person leading it "
    "left. Worth writing the steps down from the start.",
    "Supporting from {org}. I can see this saving time for everyone involved.",
    "What would it cost? Even a rough figure would help when I take it to my manager.",
    "Tautoko. The whānau I work with have been asking for this for a long time.",
    "One risk: it could add to the workload of people who are already stretched. How do we "
    "avoid that?",
    "I'd love to see the results after the first month, good or bad.",
]

# Replies from the idea's author to a general comment: {first} is the commenter's first name.
AUTHOR_REPLIES = [
    "Thanks {first}, I'll message you.",
    "Good question. I'd suggest we start small and review after three months.",
    "Ngā mihi {first}, yes please. Would love your help with a pilot.",
    "Fair point, thank you.",
    "Great suggestion, I hadn't thought of that.",
    "Kia ora {first}. Let's talk at the next network hui.",
]

# General comments on problems: {org} is the commenter's organisation.
PROBLEM_COMMENTS = [
    "Same here at {org}. It comes up almost every week.",
    "Thanks for naming this. It has been a frustration for years.",
    "Is this worse in some areas than others? It would help to know where to start.",
    "Adding {org}: we see the other end of this.",
    "Happy to help pull together some numbers on this.",
    "Kia ora, following. Keen to see what ideas come through.",
]
