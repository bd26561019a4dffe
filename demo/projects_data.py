"""Demo projects: fictional cross-agency projects grown from the demo ideas.

People are named as in ``demo.people_data.PEOPLE``; ideas by their titles in
``demo.ideas_data.IDEAS``. A project starts when its idea is taken up (the moment the idea would
have moved to "In a project"); everything else happens at ``at``, a share of the project's life
so far (0 its start, 1 now, or its closing for a completed or stopped one). Dates people type —
due dates, review dates, the dates of readings — are in days from today (negative: past).

Measures with a national comparison name where the figure comes from: the Ministry of Health's
Whakamaua monitoring data (CC BY 4.0) and its COVID-19 vaccination data (CC BY-SA 4.0), as
copied in /work/shared/data/nz. Local baselines are the project's own records.
"""

from dataclasses import dataclass
from datetime import date

from demo.ideas_data import DemoComment

LEAD, MEMBER, OBSERVER = "lead", "member", "observer"
TO_DO, DOING, DONE = "To do", "Doing", "Done"


@dataclass(frozen=True)
class DemoMember:
    name: str
    at: float  # when they join
    role: str = MEMBER
    expires: int | None = None  # a guest's last day, in days from today
    asked: bool = False  # they asked to join (a lead approved); otherwise they were invited


@dataclass(frozen=True)
class DemoTask:
    title: str
    column: str
    at: float
    by: str  # who adds the card
    assignee: str = ""
    due: int | None = None  # days from today
    labels: str = ""
    description: str = ""
    checklist: tuple[tuple[str, bool], ...] = ()  # (item, ticked)


@dataclass(frozen=True)
class DemoMilestone:
    title: str
    due: int  # days from today
    at: float
    by: str
    progress: int = 0
    weight: int = 1
    done_at: float | None = None  # when it is marked done (its date that day)
    description: str = ""


@dataclass(frozen=True)
class DemoUpdate:
    author: str
    at: float
    title: str
    body: str
    comments: tuple[DemoComment, ...] = ()  # DemoComment.author AUTHOR: the update's author


@dataclass(frozen=True)
class DemoDecision:
    by: str
    at: float
    title: str
    options: str
    rationale: str


@dataclass(frozen=True)
class DemoRisk:
    by: str
    at: float
    title: str
    likelihood: int
    consequence: int
    owner: str
    mitigation: str
    status: str = "open"
    review: int | None = None  # review by, days from today
    description: str = ""


@dataclass(frozen=True)
class DemoMeasure:
    by: str
    at: float
    name: str
    unit: str
    baseline: str
    baseline_date: int | date  # days from today, or the date of a published figure
    target: str
    target_date: int
    source: str
    readings: tuple[tuple[int | date, str, str], ...]  # (days from today or date, value, note)
    weight: int = 1


@dataclass(frozen=True)
class DemoStatus:
    status: str
    at: float
    reason: str


@dataclass(frozen=True)
class DemoClosure:
    achieved: str
    learned: str
    results: dict[str, tuple[str, str]]  # measure name -> (final value, what was achieved)


@dataclass(frozen=True)
class DemoProject:
    title: str
    purpose: str
    ideas: tuple[str, ...]  # the titles of the demo ideas it grows from
    started_by: str  # takes the ideas up: never one of their authors
    lead: str
    tags: tuple[str, ...]
    members: tuple[DemoMember, ...]
    statuses: tuple[DemoStatus, ...] = ()
    restricted_reason: str = ""  # restricted from the start when given
    start_date: int | None = None  # days from today (the planned start)
    end_date: int | None = None
    tasks: tuple[DemoTask, ...] = ()
    milestones: tuple[DemoMilestone, ...] = ()
    updates: tuple[DemoUpdate, ...] = ()
    decisions: tuple[DemoDecision, ...] = ()
    risks: tuple[DemoRisk, ...] = ()
    measures: tuple[DemoMeasure, ...] = ()
    closure: DemoClosure | None = None  # for a completed or stopped project


AS_AT = date(2023, 5, 2)  # the Ministry of Health's vaccination data, as copied
WHAKAMAUA = (
    "Ministry of Health, Whakamaua monitoring data (CC BY 4.0), measure 3.2: Māori clients "
    "seen by mental health services within 3 weeks, 77.1% nationally in 2023"
)

PROJECTS: list[DemoProject] = [
    DemoProject(
        title="One referral form between Porirua practices and community mental health",
        purpose=(
            "GP referrals to the community mental health team bounce back and forth because "
            "each side asks for different things. We are agreeing **one form**, testing it at "
            "Porirua Whānau Health Centre and the Ōtautahi trust's intake team, and measuring "
            "how many referrals are accepted the first time.\n\n"
            "Success: fewer than one referral in ten sent back, and people seen sooner."
        ),
        ideas=("One referral form agreed by both sides",),
        started_by="Sarah Patel",
        lead="Dr Leilani Faleolo",
        tags=("mental health", "referrals", "primary care"),
        start_date=-40,
        end_date=120,
        members=(
            DemoMember("Fiona Campbell", 0.05),
            DemoMember("Tom Richards", 0.08),
            DemoMember("Ben Thompson", 0.1),
            DemoMember("Olivia Bennett", 0.3, asked=True),
            DemoMember("Moana Teariki", 0.35),
            DemoMember("Mark Sullivan", 0.4, role=OBSERVER),
        ),
        statuses=(
            DemoStatus(
                "active",
                0.15,
                "Both teams have named who does the work and agreed the first draft to test.",
            ),
        ),
        tasks=(
            DemoTask(
                "Collect the six forms in use now",
                DONE,
                0.1,
                "Dr Leilani Faleolo",
                assignee="Tom Richards",
                labels="research",
                checklist=(
                    ("Porirua East practice", True),
                    ("Cannons Creek practice", True),
                    ("Trust intake team", True),
                ),
            ),
            DemoTask(
                "Draft the shared form",
                DONE,
                0.2,
                "Dr Leilani Faleolo",
                assignee="Fiona Campbell",
                labels="form",
            ),
            DemoTask(
                "Test the draft with five GPs",
                DOING,
                0.45,
                "Fiona Campbell",
                assignee="Dr Leilani Faleolo",
                due=2,
                labels="form, testing",
                description="Ask each GP to fill it in for a real referral and time it.",
                checklist=(
                    ("Book the lunchtime session", True),
                    ("Print the draft", True),
                    ("Write up what changed", False),
                ),
            ),
            DemoTask(
                "Agree what 'urgent' means on the form",
                DOING,
                0.5,
                "Ben Thompson",
                assignee="Ben Thompson",
                due=-3,
                labels="form",
            ),
            DemoTask(
                "Add the form to the practice management system",
                TO_DO,
                0.6,
                "Tom Richards",
                assignee="Tom Richards",
                due=12,
                labels="systems",
            ),
            DemoTask(
                "Ask peer support workers what people wish the form asked",
                TO_DO,
                0.65,
                "Olivia Bennett",
                assignee="Olivia Bennett",
                due=1,
                labels="whānau voice",
            ),
            DemoTask("Plan the training for reception staff", TO_DO, 0.7, "Moana Teariki"),
        ),
        milestones=(
            DemoMilestone(
                "Current forms collected",
                -25,
                0.05,
                "Dr Leilani Faleolo",
                progress=100,
                done_at=0.15,
            ),
            DemoMilestone(
                "Both teams sign off the form",
                -4,
                0.2,
                "Dr Leilani Faleolo",
                progress=80,
                weight=2,
                description="Clinical leads of both teams agree the final version.",
            ),
            DemoMilestone("Form live in both practices", 30, 0.2, "Dr Leilani Faleolo", weight=3),
        ),
        updates=(
            DemoUpdate(
                "Dr Leilani Faleolo",
                0.25,
                "We have a first draft",
                "Six forms became one. The draft asks for **what has been tried already** and "
                "**what the person wants**, which both teams said they were missing.\n\n"
                "Next: five GPs try it on real referrals.",
                comments=(
                    DemoComment(
                        "Fiona Campbell",
                        "Our intake team read it this morning — "
                        "they like the 'tried already' section a lot.",
                    ),
                    DemoComment(
                        "Tom Richards",
                        "Can we keep it to two pages? Reception prints them for the scanned file.",
                    ),
                    DemoComment(
                        "@author",
                        "Two pages it is. I'll move the medication list to an attachment.",
                        reply_to=1,
                    ),
                ),
            ),
            DemoUpdate(
                "Fiona Campbell",
                0.6,
                "First referrals on the new form",
                "Eleven referrals came in on the draft this fortnight; one came back to the "
                "practice, for a missing risk summary. The 'urgent' box is still read "
                "differently by each side — we are sorting that out this week.",
                comments=(
                    DemoComment(
                        "Olivia Bennett",
                        "One in eleven is a big change from what we see now. Great start.",
                    ),
                ),
            ),
        ),
        decisions=(
            DemoDecision(
                "Dr Leilani Faleolo",
                0.3,
                "Test on paper before building it into the system",
                "1. Build the form into the practice system straight away.\n"
                "2. Test a paper version for a month, then build it.",
                "Changing the system takes six weeks of vendor time. A paper test shows what "
                "to change first, so we only build it once.",
            ),
        ),
        risks=(
            DemoRisk(
                "Fiona Campbell",
                0.2,
                "GPs keep using the old forms",
                3,
                3,
                "Dr Leilani Faleolo",
                "Remove the old forms from the shared drive on the day the new one goes live; "
                "the intake team accepts old forms for two weeks only.",
                status="mitigating",
                review=10,
            ),
            DemoRisk(
                "Ben Thompson",
                0.35,
                "The intake team has two vacancies",
                4,
                4,
                "Fiona Campbell",
                "Agency nurse cover for intake agreed until March.",
                review=-6,
                description="Fewer people to read referrals means slower replies whatever "
                "form is used.",
            ),
            DemoRisk(
                "Tom Richards",
                0.5,
                "Scanned forms lose the tick boxes",
                2,
                2,
                "Tom Richards",
                "Use the electronic form where the practice can; test the scanner settings.",
            ),
        ),
        measures=(
            DemoMeasure(
                "Fiona Campbell",
                0.15,
                "Referrals accepted the first time",
                "%",
                "62",
                -150,
                "90",
                150,
                "Trust intake log, monthly count of referrals from the two Porirua practices",
                readings=(
                    (-150, "62", "Baseline month"),
                    (-120, "60", ""),
                    (-90, "64", ""),
                    (-60, "63", "Before the project"),
                    (-30, "71", "Draft form in use at one practice"),
                    (-7, "82", "Both practices on the draft"),
                ),
                weight=2,
            ),
            DemoMeasure(
                "Fiona Campbell",
                0.2,
                "Māori clients seen within 3 weeks of referral",
                "%",
                "74",
                -120,
                "80",
                150,
                "Trust client records; national comparison: " + WHAKAMAUA,
                readings=(
                    (-120, "74", "Local baseline, below the national 77.1%"),
                    (-60, "73", ""),
                    (-14, "76", ""),
                ),
            ),
        ),
    ),
    DemoProject(
        title="Joint first meetings for whānau in Kirikiriroa",
        purpose=(
            "Whānau tell their story once, at one meeting with every agency that works with "
            "them, instead of four separate intakes. The pilot runs with up to twelve whānau "
            "who choose to take part; a navigator from Te Whare Āwhina holds it together."
        ),
        ideas=("One joint first meeting instead of four separate intakes",),
        started_by="Rangi Tipene",
        lead="Huia Marsden",
        tags=("whānau", "information sharing", "referrals"),
        restricted_reason="The team plans meetings with named whānau who agreed to share "
        "their story with this team only.",
        start_date=-30,
        end_date=90,
        members=(
            DemoMember("Ngaire Rāwiri", 0.03),
            DemoMember("Hēmi Pōtae", 0.05),
            DemoMember("Aroha Ngata", 0.1),
            DemoMember("Hannah McKenzie", 0.12),
            DemoMember("Priya Raman", 0.4, asked=True),
            DemoMember("Georgia Hall", 0.4, expires=45),
        ),
        statuses=(
            DemoStatus("active", 0.2, "Four agencies have named a person for the meetings."),
        ),
        tasks=(
            DemoTask(
                "Write the one-page invitation for whānau",
                DONE,
                0.1,
                "Huia Marsden",
                assignee="Ngaire Rāwiri",
                labels="whānau voice",
            ),
            DemoTask(
                "Book the meeting room at the trust for Thursdays",
                DONE,
                0.15,
                "Huia Marsden",
                assignee="Hēmi Pōtae",
            ),
            DemoTask(
                "Agree what each agency brings to the first meeting",
                DOING,
                0.3,
                "Huia Marsden",
                assignee="Aroha Ngata",
                due=1,
                labels="process",
                checklist=(("MSD", True), ("Oranga Tamariki", True), ("Health NZ", False)),
            ),
            DemoTask(
                "Second meeting with the Tipene whānau",
                DOING,
                0.6,
                "Hēmi Pōtae",
                assignee="Hēmi Pōtae",
                due=-2,
                labels="meetings",
            ),
            DemoTask(
                "Find a hospital social worker for whānau with someone on the ward",
                TO_DO,
                0.45,
                "Ngaire Rāwiri",
                assignee="Georgia Hall",
                due=6,
            ),
        ),
        milestones=(
            DemoMilestone(
                "First three meetings held", -6, 0.2, "Huia Marsden", progress=66, weight=2
            ),
            DemoMilestone(
                "Twelve whānau have had a joint meeting", 60, 0.2, "Huia Marsden", weight=3
            ),
        ),
        updates=(
            DemoUpdate(
                "Huia Marsden",
                0.55,
                "Two meetings in",
                "Both whānau said it was the first time nobody asked them the same question "
                "twice. The second meeting ran long: we need a clear agenda.",
                comments=(
                    DemoComment(
                        "Aroha Ngata",
                        "I'll bring the benefit summary printed — it "
                        "saved twenty minutes last time.",
                    ),
                ),
            ),
        ),
        decisions=(
            DemoDecision(
                "Huia Marsden",
                0.25,
                "The whānau choose who comes",
                "1. Every agency working with the whānau comes.\n"
                "2. The whānau choose which agencies come.",
                "It is their meeting. Agencies not invited get a summary the whānau agree to.",
            ),
        ),
        risks=(
            DemoRisk(
                "Huia Marsden",
                0.2,
                "An agency cannot send someone on the day",
                3,
                2,
                "Hēmi Pōtae",
                "Each agency names a back-up person.",
                review=20,
            ),
        ),
        measures=(
            DemoMeasure(
                "Huia Marsden",
                0.2,
                "Agencies a whānau tells their story to",
                "agencies",
                "4",
                -60,
                "1",
                90,
                "Navigator's notes at first contact (pilot whānau)",
                readings=((-60, "4", "Before the pilot"), (-10, "2", "First two whānau")),
            ),
        ),
    ),
    DemoProject(
        title="Home-support referral on the day of admission",
        purpose=(
            "Older people wait in hospital for home support to be arranged. On two medical "
            "wards at Waikato Hospital the NASC referral starts on the day of admission, so "
            "support is ready when the person is."
        ),
        ideas=("Start the home-support referral on the day of admission",),
        started_by="Kiri Walker",
        lead="Rachel Cooper",
        tags=("older people", "discharge", "hospital"),
        start_date=-5,
        end_date=85,
        members=(
            DemoMember("Wiremu Kingi", 0.05),
            DemoMember("Emily Zhang", 0.1),
            DemoMember("Mihi Ruatapu", 0.3, expires=60),
            DemoMember("Chloe Edwards", 0.4, role=OBSERVER),
        ),
        statuses=(DemoStatus("active", 0.3, "The two wards agreed to start on Monday."),),
        tasks=(
            DemoTask(
                "Add 'home support needed?' to the admission checklist",
                DONE,
                0.2,
                "Rachel Cooper",
                assignee="Wiremu Kingi",
                labels="ward",
            ),
            DemoTask(
                "Tell NASC coordinators what to expect",
                DOING,
                0.4,
                "Rachel Cooper",
                assignee="Rachel Cooper",
                due=1,
                labels="comms",
            ),
            DemoTask(
                "Count days waiting after medically ready",
                TO_DO,
                0.5,
                "Emily Zhang",
                assignee="Emily Zhang",
                due=3,
                labels="data",
            ),
            DemoTask(
                "Ask kaumātua groups to visit on the first day home",
                TO_DO,
                0.6,
                "Rachel Cooper",
                assignee="Mihi Ruatapu",
            ),
        ),
        milestones=(
            DemoMilestone(
                "Both wards referring on admission", 10, 0.2, "Rachel Cooper", progress=40
            ),
        ),
        risks=(
            DemoRisk(
                "Wiremu Kingi",
                0.3,
                "Referrals made for people who go home without support",
                3,
                2,
                "Rachel Cooper",
                "NASC can close a referral in one click; we count how often it happens.",
            ),
        ),
        measures=(
            DemoMeasure(
                "Emily Zhang",
                0.4,
                "Days waiting after being medically ready (median)",
                "days",
                "4.5",
                -90,
                "1.5",
                85,
                "Ward discharge records, wards 1 and 2",
                readings=((-90, "4.5", ""), (-60, "5", "Winter"), (-30, "4.2", "")),
            ),
        ),
    ),
    DemoProject(
        title="No referral declined without a phone call",
        purpose=(
            "Before the community mental health team declines a referral, the clinician "
            "phones the referrer. A six-week trial in the Ōtautahi team, measured against "
            "the referrals sent back before it."
        ),
        ideas=("No referral declined without a phone call",),
        started_by="Fiona Campbell",
        lead="Ben Thompson",
        tags=("mental health", "referrals"),
        start_date=-40,
        end_date=-8,
        members=(
            DemoMember("Olivia Bennett", 0.05),
            DemoMember("Dr Leilani Faleolo", 0.1),
            DemoMember("Tom Richards", 0.1),
        ),
        statuses=(
            DemoStatus("active", 0.1, "Clinicians agreed to try it for six weeks."),
            DemoStatus("completed", 1.0, "The six weeks are done and the phone call stays."),
        ),
        tasks=(
            DemoTask(
                "Write the two-minute call script",
                DONE,
                0.1,
                "Ben Thompson",
                assignee="Olivia Bennett",
            ),
            DemoTask(
                "Log every call in the intake sheet",
                DONE,
                0.2,
                "Ben Thompson",
                assignee="Ben Thompson",
                labels="data",
            ),
            DemoTask(
                "Write up the results for the clinical governance group",
                DONE,
                0.85,
                "Ben Thompson",
                assignee="Ben Thompson",
            ),
        ),
        milestones=(
            DemoMilestone("Trial running", -35, 0.05, "Ben Thompson", progress=100, done_at=0.15),
            DemoMilestone(
                "Results written up", -9, 0.1, "Ben Thompson", progress=100, done_at=0.95
            ),
        ),
        updates=(
            DemoUpdate(
                "Ben Thompson",
                0.5,
                "Halfway",
                "Most calls take under five minutes, and in half of them the GP had the "
                "missing detail to hand. Fewer referrals are going back.",
                comments=(
                    DemoComment(
                        "Dr Leilani Faleolo",
                        "From the practice side: a call is so "
                        "much better than a letter three weeks later.",
                    ),
                ),
            ),
        ),
        decisions=(
            DemoDecision(
                "Ben Thompson",
                0.3,
                "Calls are made by the clinician, not admin",
                "1. Admin staff call to ask for missing details.\n"
                "2. The clinician who read the referral calls.",
                "The clinician knows what is missing and can agree another way forward on "
                "the spot.",
            ),
        ),
        risks=(
            DemoRisk(
                "Ben Thompson",
                0.1,
                "Calls add to clinicians' workload",
                3,
                2,
                "Ben Thompson",
                "Time every call; stop if they take over ten minutes on average.",
                status="closed",
            ),
        ),
        measures=(
            DemoMeasure(
                "Ben Thompson",
                0.1,
                "Referrals sent back to the referrer",
                "%",
                "31",
                -120,
                "15",
                -8,
                "Trust intake log (all referrals to the Ōtautahi team)",
                readings=(
                    (-120, "31", "Baseline"),
                    (-90, "29", ""),
                    (-60, "30", ""),
                    (-30, "19", "Trial month"),
                    (-12, "14", ""),
                ),
            ),
        ),
        closure=DemoClosure(
            achieved="Referrals sent back fell from 31% to 14% in six weeks. Clinicians found "
            "the calls quick, and GPs said they heard back weeks sooner.",
            learned="A call works when the person who read the referral makes it. Log calls "
            "from day one: the numbers persuaded the governance group.",
            results={
                "Referrals sent back to the referrer": (
                    "14",
                    "Halved in six weeks; the call is now standard practice.",
                ),
            },
        ),
    ),
    DemoProject(
        title="First-day absence calls in the family's own language",
        purpose=(
            "When a child is away without word, a call goes home on the first morning, in "
            "Tongan, Samoan, te reo Māori or English, from someone the family knows."
        ),
        ideas=("A first-day absence call in the family's own language",),
        started_by="Matiu Rewi",
        lead="Amit Desai",
        tags=("schools", "pasifika", "whānau"),
        start_date=-7,
        end_date=70,
        members=(
            DemoMember("Losa Tuilagi", 0.05),
            DemoMember("Lesieli Vea", 0.08),
            DemoMember("Tevita Lolohea", 0.15),
            DemoMember("Isaac Fonoti", 0.5, asked=True),
        ),
        statuses=(DemoStatus("active", 0.2, "Callers for four languages are ready."),),
        tasks=(
            DemoTask(
                "Find callers for Tongan and Samoan",
                DONE,
                0.1,
                "Amit Desai",
                assignee="Lesieli Vea",
                labels="people",
            ),
            DemoTask(
                "Write the call guide",
                DOING,
                0.3,
                "Amit Desai",
                assignee="Losa Tuilagi",
                due=2,
                checklist=(
                    ("English", True),
                    ("Tongan", True),
                    ("Samoan", False),
                    ("Te reo Māori", False),
                ),
            ),
            DemoTask(
                "Set up the morning absence list",
                TO_DO,
                0.4,
                "Amit Desai",
                assignee="Amit Desai",
                due=-1,
                labels="data",
            ),
        ),
        milestones=(
            DemoMilestone("Calls start in years 3 and 4", 5, 0.2, "Amit Desai", progress=50),
        ),
        measures=(
            DemoMeasure(
                "Amit Desai",
                0.3,
                "Students at school at least 90% of the term",
                "%",
                "38",
                -100,
                "50",
                70,
                "School attendance register (years 3–6)",
                readings=((-100, "38", "Term 2"), (-30, "40", "Term 3 so far")),
            ),
        ),
    ),
    DemoProject(
        title="A shared kitchen in an emergency motel",
        purpose=(
            "Families in emergency motels have no kitchen. We planned a shared kitchen and "
            "homework room in one motel in Hamilton East, run with the motel owner."
        ),
        ideas=("A shared kitchen and homework room in one motel per cluster",),
        started_by="Catherine Ross",
        lead="Paul Henare",
        tags=("housing", "whānau"),
        start_date=-10,
        members=(
            DemoMember("Chloe Edwards", 0.05),
            DemoMember("Hēmi Pōtae", 0.1),
            DemoMember("Priya Raman", 0.2),
        ),
        statuses=(
            DemoStatus("active", 0.2, "The owner agreed to a room on the ground floor."),
            DemoStatus(
                "stopped", 1.0, "The owner has sold the motel and the new owner will not take part."
            ),
        ),
        tasks=(
            DemoTask(
                "Price the kitchen fit-out",
                DONE,
                0.3,
                "Paul Henare",
                assignee="Chloe Edwards",
                labels="budget",
            ),
            DemoTask(
                "Ask families what they would use",
                DONE,
                0.35,
                "Paul Henare",
                assignee="Hēmi Pōtae",
                labels="whānau voice",
            ),
        ),
        risks=(
            DemoRisk(
                "Paul Henare",
                0.3,
                "The motel changes hands",
                2,
                5,
                "Paul Henare",
                "Agree a year's use in writing with the owner.",
            ),
        ),
        decisions=(
            DemoDecision(
                "Paul Henare",
                0.6,
                "Stop rather than start again elsewhere",
                "1. Find another motel and start again.\n2. Stop, and hand over what we "
                "learned to the housing team.",
                "No other motel in the cluster has a free ground-floor room this year.",
            ),
        ),
        closure=DemoClosure(
            achieved="Families told us what they would use: a fridge, a microwave and a quiet "
            "table matter more than a full kitchen.",
            learned="Get the owner's agreement in writing for a fixed term before spending "
            "anything. Start with what families asked for: it costs a tenth.",
            results={},
        ),
    ),
    DemoProject(
        title="Telehealth clinics from the marae",
        purpose=(
            "Kaumātua in rural Tairāwhiti see their specialist by video from the marae, with "
            "a nurse in the room, instead of a four-hour round trip."
        ),
        ideas=("Telehealth from the marae with a nurse in the room",),
        started_by="Ruth Ngārimu",
        lead="Mihi Ruatapu",
        tags=("rural", "kaumātua", "primary care"),
        start_date=-14,
        members=(
            DemoMember("Pita Waaka", 0.05),
            DemoMember("Dr Michael Brennan", 0.1),
            DemoMember("Emily Zhang", 0.15),
        ),
        statuses=(
            DemoStatus(
                "active", 0.15, "The marae committee said yes and the clinic dates are set."
            ),
            DemoStatus(
                "paused",
                0.75,
                "The nurse is on leave for a month and there is no "
                "cover; clinics restart when she is back.",
            ),
        ),
        tasks=(
            DemoTask(
                "Test the marae broadband at clinic time",
                DONE,
                0.2,
                "Mihi Ruatapu",
                assignee="Pita Waaka",
                labels="equipment",
            ),
            DemoTask(
                "Book the first clinic with the geriatric service",
                DONE,
                0.3,
                "Mihi Ruatapu",
                assignee="Dr Michael Brennan",
            ),
            DemoTask(
                "Find relief nurse cover", DOING, 0.7, "Mihi Ruatapu", assignee="Emily Zhang", due=5
            ),
        ),
        milestones=(
            DemoMilestone("First clinic held", -5, 0.2, "Mihi Ruatapu", progress=100, done_at=0.5),
            DemoMilestone("Monthly clinics running", 40, 0.2, "Mihi Ruatapu", weight=2),
        ),
        updates=(
            DemoUpdate(
                "Mihi Ruatapu",
                0.55,
                "The first clinic",
                "Six kaumātua saw their specialist without leaving the coast. The nurse also "
                "gave three flu jabs and two COVID-19 boosters while they were there.",
            ),
        ),
        risks=(
            DemoRisk(
                "Mihi Ruatapu",
                0.2,
                "The broadband drops during a consult",
                3,
                3,
                "Pita Waaka",
                "A phone back-up and a second router.",
                status="mitigating",
                review=14,
            ),
            DemoRisk(
                "Pita Waaka",
                0.7,
                "No nurse cover while ours is on leave",
                5,
                4,
                "Mihi Ruatapu",
                "Asked the hospital's district nursing team for relief.",
            ),
        ),
        measures=(
            DemoMeasure(
                "Mihi Ruatapu",
                0.2,
                "Specialist appointments kept by kaumātua",
                "%",
                "58",
                -90,
                "85",
                120,
                "Clinic booking list of the kaumātua group",
                readings=((-90, "58", ""), (-45, "61", ""), (-5, "75", "First marae clinic")),
            ),
            DemoMeasure(
                "Emily Zhang",
                0.3,
                "Māori aged 65+ in Tairāwhiti with a first COVID-19 booster",
                "%",
                "89.6",
                AS_AT,
                "93",
                120,
                "Ministry of Health COVID-19 vaccination data (CC BY-SA 4.0), "
                "Tairāwhiti residents, as at 2 May 2023: 2,208 of 2,463 eligible",
                readings=(
                    (AS_AT, "89.6", "Ministry of Health figure"),
                    (-5, "89.8", "Two boosters given at the first clinic"),
                ),
            ),
        ),
    ),
    DemoProject(
        title="Housing and benefit applications from 17 and a half",
        purpose=(
            "Rangatahi leaving care start their housing and benefit applications six months "
            "before they turn 18, with their social worker and a youth service adviser."
        ),
        ideas=("Start housing and benefit applications at 17 and a half",),
        started_by="Daniel O'Connor",
        lead="Isaac Fonoti",
        tags=("care leavers", "income support", "housing"),
        restricted_reason="Each rangatahi's plan is discussed here by name.",
        start_date=-8,
        members=(
            DemoMember("Nikau Paewai", 0.05),
            DemoMember("Grace Liu", 0.1),
            DemoMember("Ngaire Rāwiri", 0.3, expires=30),
        ),
        statuses=(
            DemoStatus("active", 0.25, "Five rangatahi turning 18 this summer agreed to start."),
        ),
        tasks=(
            DemoTask(
                "List rangatahi turning 18 before March",
                DONE,
                0.2,
                "Isaac Fonoti",
                assignee="Grace Liu",
            ),
            DemoTask(
                "Meet each one with their social worker",
                DOING,
                0.4,
                "Isaac Fonoti",
                assignee="Nikau Paewai",
                due=2,
            ),
        ),
        milestones=(
            DemoMilestone("First five applications started", -2, 0.3, "Isaac Fonoti", progress=60),
        ),
        risks=(
            DemoRisk(
                "Isaac Fonoti",
                0.3,
                "Applications started too early are closed",
                2,
                3,
                "Isaac Fonoti",
                "Agree a hold with the regional office.",
            ),
        ),
    ),
    DemoProject(
        title="Hardship grants decided at the first appointment",
        purpose=(
            "People applying for hardship help leave their first appointment with a decision, "
            "not a second appointment a week later."
        ),
        ideas=("Decide hardship grants on the day of the first appointment",),
        started_by="Mere Tūhoe-Parata",
        lead="James Whitfield",
        tags=("income support", "whānau"),
        members=(),
        tasks=(
            DemoTask(
                "Find out which grants need a second appointment now",
                TO_DO,
                0.3,
                "James Whitfield",
                assignee="James Whitfield",
                due=8,
            ),
            DemoTask("Ask budget advisers what they see go wrong", TO_DO, 0.5, "James Whitfield"),
        ),
        milestones=(
            DemoMilestone("Plan agreed with the service centre", 21, 0.3, "James Whitfield"),
        ),
    ),
    DemoProject(
        title="Devices and data to borrow from the library",
        purpose=(
            "People without a phone plan or laptop borrow one from the central library, with "
            "a librarian to help them through online forms."
        ),
        ideas=("Lend devices and data from the library, with someone to help",),
        started_by="Catherine Ross",
        lead="Chloe Edwards",
        tags=("digital", "older people"),
        members=(DemoMember("Priya Raman", 0.5),),
        tasks=(
            DemoTask(
                "Ask the library how many devices it can lend",
                TO_DO,
                0.6,
                "Chloe Edwards",
                assignee="Chloe Edwards",
                due=10,
            ),
        ),
    ),
]
