"""Demo organisations and people: fictional people, New Zealand social-sector settings."""

from people.models import Organisation as O
from people.models import Profile as P

DEMO_PASSWORD = "commons-demo-2026"  # noqa: S105 - printed by `make run`; demo data only
DEMO_EMAIL_DOMAIN = "demo.socialcommons.nz"

ORGANISATIONS = [
    # name, short name, kind, region, website
    (
        "Ministry of Social Development",
        "MSD",
        O.Kind.GOVERNMENT,
        O.Region.NATIONAL,
        "https://www.msd.govt.nz",
    ),
    (
        "Oranga Tamariki",
        "OT",
        O.Kind.GOVERNMENT,
        O.Region.NATIONAL,
        "https://www.orangatamariki.govt.nz",
    ),
    ("Health New Zealand – Waikato", "HNZ Waikato", O.Kind.HEALTH, O.Region.WAIKATO, ""),
    ("Porirua Whānau Health Centre", "PWHC", O.Kind.HEALTH, O.Region.WELLINGTON, ""),
    ("Te Whare Āwhina Trust", "TWA", O.Kind.IWI, O.Region.NORTHLAND, ""),
    ("Ōtautahi Community Mental Health Trust", "OCMHT", O.Kind.NGO, O.Region.CANTERBURY, ""),
    ("Manukau Family Support Network", "MFSN", O.Kind.NGO, O.Region.AUCKLAND, ""),
    ("Te Kura o Ōtara", "Ōtara School", O.Kind.SCHOOL, O.Region.AUCKLAND, ""),
    ("Hamilton City Council", "HCC", O.Kind.COUNCIL, O.Region.WAIKATO, "https://hamilton.govt.nz"),
    ("Tairāwhiti Kaumātua Community Group", "TKCG", O.Kind.COMMUNITY, O.Region.GISBORNE, ""),
]

F, T, M, S = P.Level.FRONTLINE, P.Level.TEAM_LEADER, P.Level.MANAGER, P.Level.SENIOR_LEADER

# display name, organisation short name, role title, level
PEOPLE = [
    ("Aroha Ngata", "MSD", "Case manager", F),
    ("James Whitfield", "MSD", "Service centre manager", M),
    ("Mere Tūhoe-Parata", "MSD", "Regional commissioner", S),
    ("Sione Taufa", "MSD", "Work broker", F),
    ("Priya Raman", "MSD", "Integrated services case manager", F),
    ("Hannah McKenzie", "OT", "Social worker", F),
    ("Tama Hēmi", "OT", "Supervisor, care and protection", T),
    ("Grace Liu", "OT", "Social worker", F),
    ("Daniel O'Connor", "OT", "Site manager", M),
    ("Ana Fifita", "OT", "Youth justice coordinator", F),
    ("Rachel Cooper", "HNZ Waikato", "Discharge planner", F),
    ("Wiremu Kingi", "HNZ Waikato", "Charge nurse", T),
    ("Emily Zhang", "HNZ Waikato", "Occupational therapist", F),
    ("Dr Michael Brennan", "HNZ Waikato", "Geriatrician", M),
    ("Kiri Walker", "HNZ Waikato", "Group manager, older persons", S),
    ("Dr Leilani Faleolo", "PWHC", "General practitioner", F),
    ("Tom Richards", "PWHC", "Practice nurse", F),
    ("Moana Teariki", "PWHC", "Health improvement practitioner", F),
    ("Sarah Patel", "PWHC", "Practice manager", M),
    ("Hēmi Pōtae", "TWA", "Kaiarahi / navigator", F),
    ("Ngaire Rāwiri", "TWA", "Whānau Ora practitioner", F),
    ("Rangi Tipene", "TWA", "Pou whakahaere / chief executive", S),
    ("Huia Marsden", "TWA", "Team lead, whānau services", T),
    ("Olivia Bennett", "OCMHT", "Peer support worker", F),
    ("Ben Thompson", "OCMHT", "Community mental health nurse", F),
    ("Fiona Campbell", "OCMHT", "Clinical team leader", T),
    ("Mark Sullivan", "OCMHT", "Chief executive", S),
    ("Lesieli Vea", "MFSN", "Family support worker", F),
    ("Karan Singh", "MFSN", "Budget adviser", F),
    ("Tevita Lolohea", "MFSN", "Programme coordinator", T),
    ("Jessica Moore", "MFSN", "General manager", M),
    ("Losa Tuilagi", "Ōtara School", "Teacher, year 4", F),
    ("Matiu Rewi", "Ōtara School", "Deputy principal", T),
    ("Helen Ward", "Ōtara School", "Principal", S),
    ("Amit Desai", "Ōtara School", "Learning support coordinator", F),
    ("Chloe Edwards", "HCC", "Community development adviser", F),
    ("Paul Henare", "HCC", "Housing team leader", T),
    ("Catherine Ross", "HCC", "Community services manager", M),
    ("Mihi Ruatapu", "TKCG", "Kaumātua liaison", F),
    ("Pita Waaka", "TKCG", "Volunteer coordinator", F),
    ("Ruth Ngārimu", "TKCG", "Chairperson", S),
    ("Isaac Fonoti", "MSD", "Youth service adviser", F),
    ("Nikau Paewai", "OT", "Kairaranga ā-whānau", F),
    ("Georgia Hall", "HNZ Waikato", "Social worker, acute wards", F),
]

BIOS = {
    "Aroha Ngata": "Twelve years on the front desk in Hamilton. Interested in why whānau have to "
    "tell their story again to every agency.",
    "Rachel Cooper": "Discharge planner on the medical wards. Working on getting older people home "
    "sooner, with the right support in place.",
    "Dr Leilani Faleolo": "GP in Porirua East. Referral forms between primary care and community "
    "mental health are my current fight.",
    "Hēmi Pōtae": "Navigator walking alongside whānau through housing, health and income support.",
}

# Stewards decide on ideas, merge duplicates and moderate: one leader in each of four
# organisations. There is no steward-granting service yet, so the seeder sets the flag.
STEWARDS = (
    "Mere Tūhoe-Parata",  # MSD, regional commissioner
    "Kiri Walker",  # Health NZ Waikato, group manager
    "Rangi Tipene",  # Te Whare Āwhina Trust, pou whakahaere
    "Jessica Moore",  # Manukau Family Support Network, general manager
)
