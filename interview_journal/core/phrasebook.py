"""Phrase banks the journal generator builds realistic text from (no external data).

Templates hold ``{slot}`` fields that the generator fills with a seeded random choice: the
interview's own people, company and topics, or a value from the slot banks below. English has
the largest banks; French, German, Spanish and Japanese have enough for a few companies'
worth of reflections written in those languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

# --------------------------------------------------------------------------- companies


@dataclass(frozen=True)
class CompanyStyle:
    """How a region names its companies: "{stem} {domain} {suffix}" and its text language."""

    locale: str  # the language most of its interviews are written in
    weight: int  # how often the region is picked
    stems: tuple[str, ...]
    domains: tuple[str, ...]
    suffixes: tuple[str, ...]
    patterns: tuple[str, ...]  # format strings over stem, domain, suffix
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    name_pattern: str  # how a person's name is written
    cities: tuple[str, ...]
    streets: tuple[str, ...]


COMPANY_STYLES: Final[tuple[CompanyStyle, ...]] = (
    CompanyStyle(
        locale="en",
        weight=52,
        stems=(
            "Northwind", "Bluefin", "Harbor", "Lighthouse", "Granite", "Copperleaf",
            "Silverline", "Redwood", "Brightpath", "Ironbark", "Maple", "Kestrel", "Foxglove",
            "Juniper", "Quarry", "Tidewater", "Beacon", "Orchard", "Summit", "Meridian",
            "Cobalt", "Larkspur", "Pinecone", "Halcyon", "Wayfarer", "Stonebridge",
            "Driftwood", "Ember", "Falcon", "Willow", "Crescent", "Riverbend", "Bramble",
            "Sparrow", "Lantern", "Keystone", "Thistle", "Oakhurst", "Saltmarsh", "Moorland",
        ),
        domains=(
            "Analytics", "Labs", "Systems", "Software", "Health", "Payments", "Robotics",
            "Logistics", "Energy", "Media", "Security", "Cloud", "Games", "Insurance", "Bank",
            "Learning", "Data", "Networks", "Foods", "Mobility", "Biotech", "Studios",
            "Retail", "Travel", "Capital",
        ),
        suffixes=("Inc.", "Inc", "Ltd", "LLC", "plc", "Corp.", "Limited", "Co.", "LLP"),
        patterns=(
            "{stem} {domain} {suffix}",
            "{stem} {domain} {suffix}",
            "{stem} {domain}",
            "{stem} & {stem2} {suffix}",
        ),
        first_names=(
            "Alice", "Ben", "Chloe", "Daniel", "Emma", "Farah", "George", "Hannah", "Isaac",
            "Jasmine", "Kofi", "Laura", "Mohammed", "Nina", "Oliver", "Priya", "Quentin",
            "Rachel", "Samuel", "Tara", "Uma", "Victor", "Wei", "Yusuf", "Zoe", "Aisha",
            "Carlos", "Dmitri", "Ngozi", "Siobhán", "Tomás", "Mei", "Rahul", "Grace",
        ),
        last_names=(
            "Smith", "Patel", "O'Brien", "Nguyen", "Johnson", "Okafor", "Kowalski", "García",
            "Chen", "Williams", "Murphy", "Haddad", "Kim", "Andersen", "Brown", "Rossi",
            "Singh", "Taylor", "Walsh", "Adeyemi", "Cohen", "Fitzgerald", "Liu", "Novak",
        ),
        name_pattern="{first} {last}",
        cities=("London", "Manchester", "Dublin", "Edinburgh", "New York", "Toronto", "Austin"),
        streets=(
            "12 Canal Street", "4 Old Market Square", "88 Wharf Road", "210 King Street West",
            "1 Harbour Exchange", "55 Congress Avenue", "9 Grafton Street",
        ),
    ),
    CompanyStyle(
        locale="fr",
        weight=10,
        stems=(
            "Lumière", "Éclat", "Cerisier", "Bel-Air", "Hélios", "Azur", "Mistral", "Béryl",
            "Étoile", "Genêt", "Cèdre", "Aubépine", "Garonne", "Vénus", "Île-Verte",
        ),
        domains=(
            "Numérique", "Systèmes", "Logiciels", "Données", "Santé", "Assurances", "Énergie",
            "Conseil", "Mobilité", "Réseaux",
        ),
        suffixes=("SA", "SAS", "SARL"),
        patterns=(
            "{stem} {domain} {suffix}", "Société {stem} {suffix}", "{domain} {stem} {suffix}"
        ),
        first_names=(
            "Amélie", "Benoît", "Céline", "Élodie", "François", "Gaëlle", "Hélène", "Jérôme",
            "Léa", "Mathéo", "Noémie", "Stéphane", "Zoé", "Loïc",
        ),
        last_names=(
            "Dubois", "Lefèvre", "Moreau", "Girard", "Bonnet", "Rousseau", "Faure", "Chévrier",
            "Mercier", "Lemaître", "Péron", "Benoît",
        ),
        name_pattern="{first} {last}",
        cities=("Paris", "Lyon", "Toulouse", "Nantes", "Bordeaux"),
        streets=(
            "12 rue de Rivoli", "3 quai Saint-Vincent", "45 allée Jean-Jaurès",
            "8 place Bellecour", "27 cours de l'Intendance",
        ),
    ),
    CompanyStyle(
        locale="de",
        weight=12,
        stems=(
            "Müller", "Schäfer", "Brückner", "Krüger", "Wöhler", "Jäger", "Böhm", "Groß",
            "Weiß", "Köhler", "Fuchs", "Hoffmann", "Lindenhof", "Rheinblick", "Nordstern",
        ),
        domains=(
            "Datentechnik", "Software", "Systemhaus", "Maschinenbau", "Versicherungen",
            "Logistik", "Präzisionstechnik", "Energie", "Medizintechnik", "Informatik",
        ),
        suffixes=("GmbH", "AG", "GmbH & Co. KG", "SE", "UG"),
        patterns=(
            "{stem} & Söhne {suffix}", "{stem} {domain} {suffix}", "{stem} {domain} {suffix}"
        ),
        first_names=(
            "Jürgen", "Anja", "Björn", "Sören", "Katrin", "Lukas", "Jörg", "Uwe", "Mareike",
            "Jan-Hendrik", "Franziska", "Tobias", "Käthe", "Özlem",
        ),
        last_names=(
            "Schröder", "Weiß", "Hoffmann", "Köhler", "Becker", "Schulz", "Bauer", "Zimmermann",
            "Krämer", "Völler", "Yılmaz", "Strauß",
        ),
        name_pattern="{first} {last}",
        cities=("Berlin", "München", "Hamburg", "Köln", "Zürich", "Wien"),
        streets=(
            "Friedrichstraße 68", "Maximilianstraße 12", "Am Sandtorkai 5", "Hohe Straße 40",
            "Bahnhofstrasse 21", "Mariahilfer Straße 77",
        ),
    ),
    CompanyStyle(
        locale="es",
        weight=7,
        stems=(
            "Peñalara", "Alhambra", "Cañada", "Sierra Azul", "Mirador", "Albor", "Ría",
            "Olivar", "Brío", "Añil", "Guadiana", "Tramontana",
        ),
        domains=("Soluciones", "Tecnologías", "Datos", "Sistemas", "Consultores", "Energía",
                 "Logística", "Software"),
        suffixes=("SL", "SA", "S.L.", "S.A."),
        patterns=("{domain} {stem} {suffix}", "{stem} {domain} {suffix}"),
        first_names=(
            "José", "María", "Íñigo", "Lucía", "Sofía", "Martín", "Begoña", "Álvaro", "Nuria",
            "Andrés", "Ainhoa", "Ramón",
        ),
        last_names=(
            "Fernández", "Muñoz", "Ibáñez", "Gómez", "Pérez", "Núñez", "Ortega", "Rodríguez",
            "Sáenz", "Castillo",
        ),
        name_pattern="{first} {last}",
        cities=("Madrid", "Barcelona", "Valencia", "Bilbao", "Sevilla"),
        streets=(
            "Calle de Alcalá 120", "Passeig de Gràcia 55", "Gran Vía 24",
            "Avenida de la Constitución 9",
        ),
    ),
    CompanyStyle(
        locale="en",  # Nordic companies mostly interview in English
        weight=12,
        stems=(
            "Nordlys", "Fjordline", "Skog", "Havbris", "Fjäll", "Järvi", "Revontuli",
            "Lysglimt", "Ålesund", "Dalvik", "Sjöstad", "Vinterhav", "Myrra", "Kvarn",
            "Tundra", "Björk",
        ),
        domains=("", "Tech", "Data", "Digital", "Analys", "Energi", "Systemer", "Labs"),
        suffixes=("AS", "ASA", "AB", "Oy", "Oyj", "ApS"),
        patterns=("{stem} {suffix}", "{stem} {domain} {suffix}"),
        first_names=(
            "Åsa", "Lars", "Ingrid", "Øyvind", "Sigrid", "Mikko", "Aino", "Henrik", "Freja",
            "Jussi", "Kari", "Linnea", "Björn", "Sólveig",
        ),
        last_names=(
            "Johansson", "Nilsen", "Lindqvist", "Virtanen", "Hansen", "Berg", "Ødegård",
            "Korhonen", "Dahl", "Sjöberg", "Mäkinen", "Þórsdóttir",
        ),
        name_pattern="{first} {last}",
        cities=("Oslo", "Stockholm", "Helsinki", "Copenhagen", "Bergen"),
        streets=(
            "Karl Johans gate 14", "Drottninggatan 53", "Mannerheimintie 8", "Strøget 30",
            "Bryggen 7",
        ),
    ),
    CompanyStyle(
        locale="ja",
        weight=3,
        stems=("サクラ", "ミライ", "ヒカリ", "アオゾラ", "ホシゾラ", "ツバサ", "ミドリ", "カケハシ",
               "ハヤテ", "コハク"),
        domains=("システムズ", "テクノロジー", "データ", "ソフト", "技研", "情報"),
        suffixes=("株式会社",),
        patterns=("{suffix} {stem}{domain}", "{stem}{domain}{suffix}"),
        first_names=("花子", "健太", "美咲", "翔太", "陽菜", "大輔", "結衣", "拓海"),
        last_names=("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村"),
        name_pattern="{last} {first}",
        cities=("東京", "大阪", "福岡"),
        streets=("渋谷区道玄坂1-2-3", "港区六本木6-10-1", "北区梅田3-1-1"),
    ),
)

# Extra words that make a company name unique when the banks run out.
NAME_QUALIFIERS: Final[tuple[str, ...]] = (
    "Europe", "Nordic", "Group", "International", "Digital", "Partners", "Studio", "Works",
)

# Interviewers' titles by the part they play in a process, per language.
TITLES: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "en": {
        "recruiter": ("Recruiter", "Technical Recruiter", "Talent Partner", "Head of People"),
        "manager": ("Engineering Manager", "Team Lead", "Director of Engineering"),
        "engineer": ("Senior Engineer", "Staff Engineer", "Software Engineer",
                     "Principal Engineer", "Data Scientist", "Site Reliability Engineer"),
        "executive": ("CTO", "VP Engineering", "Co-founder", "Head of Product"),
    },
    "fr": {
        "recruiter": ("Talent acquisition", "Responsable RH", "Recrutement"),
        "manager": ("Responsable d'équipe", "Engineering manager", "Direction technique"),
        "engineer": ("Tech lead", "Architecte logiciel", "Data engineer", "Lead dev"),
        "executive": ("CTO", "Direction générale", "Fondateur·rice"),
    },
    "de": {
        "recruiter": ("Recruiting", "Talent Acquisition Partner", "HR Business Partner"),
        "manager": ("Teamleitung", "Abteilungsleitung", "Engineering Manager"),
        "engineer": ("Softwarearchitektur", "Tech Lead", "Backend-Entwicklung", "Data Engineer"),
        "executive": ("CTO", "Geschäftsführung", "Bereichsleitung"),
    },
    "es": {
        "recruiter": ("Selección de personal", "Responsable de talento", "Recursos humanos"),
        "manager": ("Engineering manager", "Responsable de ingeniería", "Tech lead"),
        "engineer": ("Ingeniería de software", "Tech lead", "Data engineer", "Backend senior"),
        "executive": ("CTO", "Dirección general", "Cofundación"),
    },
    "ja": {
        "recruiter": ("人事担当", "採用担当"),
        "manager": ("エンジニアリングマネージャー", "開発部長"),
        "engineer": ("テックリード", "シニアエンジニア", "データエンジニア"),
        "executive": ("CTO", "代表取締役"),
    },
}

ROLES: Final[Mapping[str, tuple[str, ...]]] = {
    "en": (
        "Backend Engineer", "Senior Software Engineer", "Staff Engineer", "Data Engineer",
        "Data Scientist", "Site Reliability Engineer", "Engineering Manager",
        "Product Manager", "Frontend Engineer", "Machine Learning Engineer",
        "Platform Engineer", "Security Engineer", "Mobile Engineer (iOS)",
        "Full-stack Developer", "Solutions Architect", "Analytics Engineer",
    ),
    "fr": ("Développeur backend", "Ingénieure logicielle senior", "Data scientist",
           "Responsable d'équipe technique"),
    "de": ("Softwareentwickler (m/w/d)", "Senior Backend-Entwicklerin", "Data Engineer (m/w/d)",
           "Teamleitung Softwareentwicklung"),
    "es": ("Ingeniero de datos", "Desarrolladora backend senior", "Ingeniero de software"),
    "ja": ("バックエンドエンジニア", "データサイエンティスト", "SRE"),
}

# --------------------------------------------------------------------------- topics

# Topics (tags) by the kind of interview they come up in; "general" can come up anywhere.
TOPICS: Final[Mapping[str, tuple[str, ...]]] = {
    "general": ("Communication", "Career goals", "Culture fit", "Motivation", "Remote work"),
    "recruiter": ("Salary expectations", "Notice period", "Relocation", "Visa", "Team size"),
    "manager": ("Leadership", "Prioritisation", "Stakeholder management", "Feedback",
                "Mentoring", "Roadmap", "Ownership"),
    "behavioural": ("Conflict resolution", "Failure", "Teamwork", "Deadlines", "Influence",
                    "Learning", "Incident response"),
    "technical": ("Algorithms", "Data structures", "SQL", "Python", "Go", "Java",
                  "TypeScript", "Concurrency", "Graphs", "Dynamic programming", "Testing",
                  "Code review", "Debugging", "Rust", "Complexity analysis"),
    "design": ("System design", "Distributed systems", "Caching", "Databases",
               "Rate limiting", "Message queues", "Consistency", "API design", "Scalability",
               "Observability", "Security", "Kubernetes", "Data modelling"),
    "product": ("Product sense", "Metrics", "User research", "Machine learning",
                "Statistics", "A/B testing"),
}

# --------------------------------------------------------------------------- questions

# Shared questions by kind of interview; each entry is a question and its usual rewordings.
# The first wording is the most common one, so the same question recurs word for word at
# different companies, as real question banks show.
QUESTIONS: Final[Mapping[str, tuple[tuple[str, ...], ...]]] = {
    "recruiter": (
        ("Tell me about yourself.", "Walk me through your CV.",
         "Can you give me a quick overview of your background?"),
        ("Why are you looking to leave your current job?",
         "Why are you leaving your current role?"),
        ("What are your salary expectations?", "What salary range are you looking for?"),
        ("Why do you want to work here?", "Why are you interested in {company}?"),
        ("When could you start?", "What is your notice period?"),
        ("Are you interviewing anywhere else?",),
        ("What kind of team are you looking for?",),
        ("Are you open to hybrid work?",
         "How do you feel about coming into the office twice a week?"),
    ),
    "manager": (
        ("What does a good week at work look like for you?",),
        ("How do you prioritise when everything is urgent?",
         "How do you decide what to work on first?"),
        ("Tell me about a project you are proud of.", "What is the project you are most proud of?"),
        ("How do you like to receive feedback?",),
        ("Where do you see yourself in three years?", "What are your career goals?"),
        ("How do you handle a teammate who is not pulling their weight?",),
        ("What would your current manager say about you?",),
        ("How do you keep stakeholders informed when a project slips?",),
    ),
    "behavioural": (
        ("Tell me about a time you disagreed with a colleague.",
         "Describe a disagreement with a teammate and how you resolved it."),
        ("Tell me about a time you failed.", "Describe a mistake you made and what you learned."),
        ("Tell me about a time you had to deliver under a tight deadline.",),
        ("Give an example of when you influenced a decision without authority.",),
        ("Tell me about a conflict with a stakeholder.",),
        ("Describe a time you had to learn something quickly.",),
        ("Tell me about a time you received critical feedback.",),
        ("What is the hardest bug you have fixed?",
         "Tell me about the hardest bug you have dealt with."),
    ),
    "technical": (
        ("Reverse a linked list.", "Reverse a singly linked list in place."),
        ("Find the longest substring without repeating characters.",),
        ("Merge overlapping intervals.", "Given a list of intervals, merge the overlapping ones."),
        ("Implement an LRU cache.", "Design and implement an LRU cache with O(1) operations."),
        ("Find the k most frequent elements in an array.",),
        ("Detect a cycle in a directed graph.",),
        ("Write a SQL query for the second highest salary per department.",),
        ("Explain the difference between a process and a thread.",),
        ("What happens when you type a URL into the browser?",),
        ("How does a hash map work internally?",),
        ("Count the islands in a grid.", "Count the islands in a 2D grid of land and water."),
        ("Validate a binary search tree.",),
        ("Explain how database indexes work.", "When would an index make a query slower?"),
        ("Implement a thread-safe counter.",),
    ),
    "design": (
        ("Design a URL shortener.",),
        ("Design a rate limiter.", "Design a rate limiter for a public API."),
        ("Design a news feed.", "Design the timeline of a social network."),
        ("Design a chat system.", "Design a messaging app for a million users."),
        ("Design a distributed job scheduler.",),
        ("Design a metrics and alerting system.",),
        ("How would you scale a read-heavy service to ten times its traffic?",),
        ("Design a payment ledger.",),
        ("Design a file storage service.",),
    ),
    "takehome": (
        ("Walk us through your take-home solution.",),
        ("Why did you structure the code this way?",),
        ("How would you test this in production?",),
        ("What would you change with more time?",),
        ("How would your solution handle a hundred times more data?",),
    ),
    "final": (
        ("Why should we hire you?",),
        ("What questions do you have for us?", "Do you have any questions for me?"),
        ("What would you want to achieve in your first 90 days?",),
        ("How do you deal with ambiguity?",),
        ("What motivates you?",),
    ),
}

# --------------------------------------------------------------------------- text

# Values for the slots templates use beyond the interview's own (person, company, topic,
# number, minutes); shared by every language.
SLOTS: Final[Mapping[str, tuple[str, ...]]] = {
    "tech": (
        "Postgres", "Kafka", "Redis", "Kubernetes", "Terraform", "gRPC", "React",
        "TypeScript", "Python", "Go", "Rust", "Java", "Spark", "Airflow", "Elasticsearch",
        "S3", "DynamoDB", "GraphQL", "Docker", "Prometheus", "Snowflake", "dbt", "PyTorch",
        "Django", "Node.js", "Swift", "Kotlin", "SQLite", "RabbitMQ", "ClickHouse",
    ),
}


@dataclass(frozen=True)
class Phrasebook:
    """One language's templates: the text sections, answers, action items, questions."""

    joiner: str  # between sentences
    sections: Mapping[str, tuple[str, ...]]  # by key of core.domain.TEXT_SECTIONS, each one
    answers: tuple[str, ...]
    next_time: tuple[str, ...]
    actions: tuple[str, ...]
    questions: tuple[str, ...]  # used instead of QUESTIONS for interviews in this language
    slots: Mapping[str, tuple[str, ...]]
    bullet: str = "- "


ENGLISH = Phrasebook(
    joiner=" ",
    sections={
        "went_well": (
            "I explained {story} clearly and {person} followed up with good questions.",
            "The warm-up went smoothly; I talked through {algo} before writing any code.",
            "My answer on {topic} landed well: I gave a concrete example from {story}.",
            "I kept to the structure I practised (situation, task, action, result) and it "
            "helped.",
            "When we got to designing {problem}, I started from requirements and rough "
            "numbers, which {person} seemed to like.",
            "I asked clarifying questions before starting, and it saved me from solving the "
            "wrong problem.",
            "I stayed {feeling} most of the time, even when the {topic} questions got harder.",
            "I was honest that I had not used {tech} in production and explained how I would "
            "learn it; that went down well.",
            "I wrote tests for the edge cases without being asked and found a bug in my own "
            "solution.",
            "The conversation about {tech} turned into a real discussion rather than a quiz.",
            "I had good questions ready about the team's roadmap and on-call load.",
            "I managed the time well and finished the coding part with {minutes} minutes to "
            "spare.",
            "I connected {story} to what they are building, and {person} took notes.",
            "Explaining the trade-offs between {tech} and {tech2} felt natural.",
            "My introduction was short and to the point this time.",
            "When I got stuck on {algo}, I said so and talked through options instead of "
            "going quiet.",
        ),
        "went_poorly": (
            "{weak} when {person} asked about {topic}.",
            "I spent too long on the brute-force solution and only reached {algo} at the end.",
            "The question about {topic} caught me off guard, and {weak}.",
            "I could not remember how {tech} handles failover and guessed instead of saying so.",
            "When designing {problem}, I did not estimate the load before choosing a database.",
            "I went over time on the behavioural part, so there was little left for my own "
            "questions.",
            "My answer about {story} was too long and lost the point.",
            "I was {feeling} and it showed in how fast I talked.",
            "I missed an off-by-one error that {person} had to point out.",
            "I did not ask what success looks like in the first six months.",
            "Salary came up earlier than I expected and I gave a number without thinking.",
            "The video kept freezing for the first {minutes} minutes, which threw me off.",
            "I forgot to mention monitoring for {problem} until the very end.",
            "{weak} during the {topic} part, and I noticed {person} moving on quickly.",
        ),
        "do_differently": (
            "Next time I will state my assumptions out loud before designing {problem}.",
            "Practise {algo} until I can write it without hesitating.",
            "Prepare a shorter version of {story}: two minutes, with the result first.",
            "Read up on {tech} internals, especially replication and failure modes.",
            "Ask about the team's biggest problem right now, early in the conversation.",
            "Keep a glass of water and a notepad ready, and pause before answering.",
            "Do a mock interview on {topic} with a friend before the next round.",
            "Write the test cases first, then the code.",
            "When I don't know something, say so and reason from first principles.",
            "Rehearse the answer to \"why are you leaving?\" so it sounds positive.",
            "Check the audio and video {minutes} minutes before the call.",
            "Bring numbers (latency, cost, team size) to every story I tell.",
            "Slow down in the first {minutes} minutes; the nerves settle after that.",
        ),
        "impressions": (
            "{person} was friendly and clearly knew {tech} well.",
            "The team seems stretched; {person} mentioned on-call twice.",
            "{company} feels like a place where engineers own their work end to end.",
            "The process is well organised: every interviewer knew what the others had asked.",
            "I liked how {person} talked about mistakes as something to learn from.",
            "The office was quiet and bright, and people looked relaxed.",
            "I am not sure about the culture: {person} interrupted a lot.",
            "They care a lot about {topic}, more than the job description suggested.",
            "{company} is growing fast, and it showed: nobody could tell me who I would report "
            "to.",
            "{person} asked sharp follow-up questions but gave me room to think.",
            "The product is interesting and the problems with {tech} at their scale are real.",
            "Compensation seems to be below market, but the team is strong.",
            "{person} was candid about the technical debt, which I appreciated.",
        ),
        "notes": (
            "Recruiter said they will get back within {number} working days.",
            "Next round is {next_round}; prepare {topic}.",
            "They use {tech} and {tech2} heavily and are moving from a monolith to services.",
            "Team of {number} engineers, two product managers and a designer.",
            "Remote-friendly, with two office days a month.",
            "Ask {person} about the promotion process next time.",
            "The interview was in the {room} room; the entrance is round the back.",
            "Follow up with a thank-you email to {person} tonight.",
            "Budget for the role is fixed; there is some room on the start date.",
            "The take-home exercise takes about {number} hours.",
            "A phrase they kept using: \"{phrase}\".",
            "On-call is one week in {number}, with a paid day off afterwards.",
        ),
    },
    answers=(
        "I talked about {story}, focusing on what I did and the result.",
        "I started with {algo}, explained the complexity and then coded it; it passed the "
        "examples.",
        "I sketched {problem} with a load balancer, stateless services and {tech} for storage.",
        "I said I would use {tech} here, mainly because of its tooling, and mentioned the "
        "trade-offs.",
        "I gave a short answer and then an example: {story}.",
        "I was not sure, so I reasoned out loud and got most of the way with {person}'s hints.",
        "I explained that I am looking for a team where I can grow into {growth}.",
        "I described my current role, the team size ({number} engineers) and what I own.",
        "I covered the happy path first, then the failure cases and how to retry safely.",
        "I admitted the first version would not scale and walked through how to shard it.",
    ),
    next_time=(
        "Lead with the result, then explain how.",
        "Mention {story}; it is a better example.",
        "Start with requirements and scale estimates, then the data model.",
        "Say the complexity first, then optimise with {algo}.",
        "Keep it under two minutes.",
        "Ask what they mean by \"{topic}\" before answering.",
        "Talk about the {tech} trade-offs explicitly.",
        "Draw the diagram before explaining it.",
    ),
    actions=(
        "Practise {algo} problems: {number} in the next week.",
        "Write a two-minute version of {story}.",
        "Read about {tech} replication and failure modes.",
        "Do a timed mock system design of {problem}.",
        "Prepare three questions about the team's roadmap.",
        "Send a thank-you note to {person}.",
        "Look up the typical salary range for this role.",
        "Review SQL window functions.",
        "Record myself answering \"tell me about yourself\" and listen back.",
        "Revisit the feedback from {company} before the next round.",
        "Brush up on {topic} with one practice question a day.",
    ),
    questions=(),
    slots={
        "story": (
            "the payments migration", "the outage on Black Friday",
            "the on-call rotation I redesigned", "mentoring two junior engineers",
            "the data pipeline rewrite", "the failed launch in my first job",
            "the disagreement about API versioning", "shipping search under a deadline",
            "cutting cloud costs by a third", "moving the team to trunk-based development",
            "the accessibility audit", "the hiring loop I set up",
        ),
        "algo": (
            "two pointers", "a sliding window", "binary search on the answer", "a heap", "BFS",
            "topological sort", "union-find", "dynamic programming", "a trie",
            "interval merging", "backtracking", "a monotonic stack",
        ),
        "problem": (
            "a rate limiter", "a URL shortener", "an LRU cache", "a job scheduler",
            "a chat service", "a news feed", "a metrics pipeline", "an autocomplete service",
            "a ledger for payments", "a file sync service", "a notification system",
        ),
        "feeling": ("calm", "rushed", "nervous at the start", "confident", "tired",
                    "energised", "a bit flat", "focused"),
        "weak": (
            "I rambled", "I forgot to ask about scale", "I jumped into code too early",
            "I did not test edge cases", "I lost track of time", "I undersold my impact",
            "I got defensive", "I froze on the complexity question",
            "I did not state my assumptions", "I blanked on the name of the metric",
        ),
        "next_round": ("a system design round", "an onsite loop", "a chat with the CTO",
                       "a take-home exercise", "a final conversation with the director"),
        "room": ("Ada", "Turing", "Hopper", "Lovelace", "Curie", "Noether"),
        "phrase": ("bias for action", "we ship weekly", "customer obsession",
                   "low ego, high standards", "boring technology", "disagree and commit"),
        "growth": ("technical leadership", "a staff role", "management", "product work",
                   "a specialist role in data"),
    },
)

FRENCH = Phrasebook(
    joiner=" ",
    sections={
        "went_well": (
            "J'ai bien expliqué mon projet précédent et {person} a posé des questions "
            "pertinentes.",
            "J'ai pris le temps de clarifier le problème avant de coder, et ça a payé.",
            "La discussion sur {tech} était détendue, presque une conversation entre collègues.",
            "Ma réponse sur {topic} était structurée : contexte, action, résultat.",
            "J'ai gardé mon calme même quand les questions sont devenues plus difficiles.",
            "J'ai terminé l'exercice avec {minutes} minutes d'avance et nous avons parlé des "
            "tests.",
            "Mes questions sur la feuille de route de l'équipe ont visiblement plu à {person}.",
        ),
        "went_poorly": (
            "J'ai trop parlé au début et j'ai manqué de temps pour mes propres questions.",
            "La question sur {topic} m'a déstabilisé ; j'ai répondu trop vite.",
            "Je n'ai pas estimé la charge avant de choisir la base de données.",
            "J'ai oublié un cas limite que {person} a dû me signaler.",
            "Le salaire est arrivé très tôt et j'ai donné un chiffre sans réfléchir.",
            "La connexion vidéo a coupé deux fois, ce qui m'a fait perdre le fil.",
        ),
        "do_differently": (
            "La prochaine fois, je poserai mes hypothèses à voix haute avant de commencer.",
            "Préparer une version courte de mon histoire principale, deux minutes au maximum.",
            "Revoir le fonctionnement interne de {tech}, surtout la réplication.",
            "Faire un entretien blanc sur {topic} avec un ami.",
            "Écrire les cas de test avant le code.",
            "Demander dès le début quel est le plus gros problème de l'équipe.",
        ),
        "impressions": (
            "{person} était bienveillant et connaissait très bien {tech}.",
            "L'équipe semble soudée mais un peu débordée.",
            "{company} donne l'impression d'un endroit où l'on prend le temps de bien faire.",
            "Le processus est clair : chacun savait ce que les autres avaient demandé.",
            "Je suis moins sûr de la culture : {person} coupait souvent la parole.",
            "Les locaux sont lumineux et calmes, près de la gare.",
        ),
        "notes": (
            "Réponse attendue sous {number} jours ouvrés.",
            "Télétravail possible deux jours par semaine.",
            "L'équipe compte {number} développeurs et une designer.",
            "Envoyer un message de remerciement à {person} ce soir.",
            "Ils utilisent {tech} et migrent vers des microservices.",
            "Astreinte une semaine sur {number}, récupérée ensuite.",
        ),
    },
    answers=(
        "J'ai parlé de la migration de notre base de données, en insistant sur mon rôle.",
        "J'ai commencé par une solution simple, puis je l'ai optimisée avec un tas.",
        "J'ai proposé une architecture avec un cache {tech} devant la base.",
        "J'ai répondu honnêtement que je cherchais plus de responsabilités techniques.",
        "Je n'étais pas sûr ; j'ai raisonné à voix haute et {person} m'a aidé un peu.",
    ),
    next_time=(
        "Commencer par le résultat, puis expliquer comment.",
        "Donner un exemple chiffré.",
        "Poser les contraintes de volumétrie avant de dessiner.",
        "Rester sous les deux minutes.",
    ),
    actions=(
        "Refaire trois exercices sur les graphes cette semaine.",
        "Préparer une version courte de mon parcours.",
        "Relire la documentation de {tech} sur la haute disponibilité.",
        "Envoyer un message de remerciement à {person}.",
    ),
    questions=(
        "Présentez-vous en quelques minutes.",
        "Pourquoi voulez-vous quitter votre poste actuel ?",
        "Quelles sont vos prétentions salariales ?",
        "Parlez-moi d'un conflit avec un collègue et de la façon dont vous l'avez résolu.",
        "Concevez un raccourcisseur d'URL.",
        "Comment fonctionne un index dans une base de données ?",
        "Quel est le projet dont vous êtes le plus fier ?",
        "Où vous voyez-vous dans trois ans ?",
        "Pourquoi {company} ?",
    ),
    slots={},
)

GERMAN = Phrasebook(
    joiner=" ",
    sections={
        "went_well": (
            "Ich habe mein letztes Projekt klar erklärt, und {person} hat gute Rückfragen "
            "gestellt.",
            "Vor dem Programmieren habe ich die Anforderungen geklärt; das hat sich gelohnt.",
            "Das Gespräch über {tech} war entspannt und fachlich spannend.",
            "Meine Antwort zu {topic} war gut strukturiert: Situation, Aufgabe, Handlung, "
            "Ergebnis.",
            "Ich bin ruhig geblieben, auch als die Fragen schwieriger wurden.",
            "Die Übung war nach {minutes} Minuten fertig, und wir konnten noch über Tests "
            "sprechen.",
            "Meine Fragen zur Roadmap des Teams kamen bei {person} gut an.",
        ),
        "went_poorly": (
            "Ich habe zu lange über Nebensächlichkeiten gesprochen und kaum Zeit für eigene "
            "Fragen gehabt.",
            "Die Frage zu {topic} hat mich überrascht; ich habe zu schnell geantwortet.",
            "Ich habe die Last nicht abgeschätzt, bevor ich mich für eine Datenbank "
            "entschieden habe.",
            "Einen Randfall hat erst {person} bemerkt.",
            "Das Gehalt kam früh zur Sprache, und ich habe spontan eine Zahl genannt.",
            "Die Videoverbindung ist zweimal abgebrochen, das hat mich aus dem Konzept gebracht.",
        ),
        "do_differently": (
            "Nächstes Mal sage ich meine Annahmen laut, bevor ich anfange.",
            "Eine kurze Fassung meiner wichtigsten Geschichte vorbereiten, höchstens zwei "
            "Minuten.",
            "Die Interna von {tech} wiederholen, besonders Replikation und Ausfälle.",
            "Ein Probeinterview zu {topic} mit einer Freundin üben.",
            "Erst die Testfälle schreiben, dann den Code.",
            "Früh fragen, was das größte Problem des Teams gerade ist.",
        ),
        "impressions": (
            "{person} war freundlich und kannte sich mit {tech} sehr gut aus.",
            "Das Team wirkt eingespielt, aber ziemlich ausgelastet.",
            "Bei {company} scheint man Wert auf Qualität und Dokumentation zu legen.",
            "Der Ablauf war gut organisiert; alle wussten, was vorher gefragt wurde.",
            "Bei der Kultur bin ich unsicher: {person} hat oft unterbrochen.",
            "Das Büro ist hell und ruhig, fünf Minuten vom Bahnhof.",
        ),
        "notes": (
            "Rückmeldung innerhalb von {number} Werktagen.",
            "Homeoffice an drei Tagen pro Woche möglich.",
            "Das Team besteht aus {number} Entwicklerinnen und Entwicklern.",
            "Heute Abend eine Dankesmail an {person} schicken.",
            "Sie setzen stark auf {tech} und planen den Umzug in die Cloud.",
            "Rufbereitschaft jede {number}. Woche, mit Freizeitausgleich.",
        ),
    },
    answers=(
        "Ich habe von der Migration unserer Datenbank erzählt und meine Rolle betont.",
        "Ich habe mit einer einfachen Lösung begonnen und sie dann mit einem Heap optimiert.",
        "Ich habe eine Architektur mit {tech} als Cache vor der Datenbank skizziert.",
        "Ich habe ehrlich gesagt, dass ich mehr technische Verantwortung suche.",
        "Ich war unsicher, habe laut nachgedacht und mit Hinweisen von {person} weitergemacht.",
    ),
    next_time=(
        "Mit dem Ergebnis anfangen, dann erklären, wie.",
        "Ein Beispiel mit Zahlen bringen.",
        "Erst die Mengengerüste klären, dann zeichnen.",
        "Unter zwei Minuten bleiben.",
    ),
    actions=(
        "Diese Woche drei Graphenaufgaben üben.",
        "Eine Kurzfassung meines Lebenslaufs vorbereiten.",
        "Die Dokumentation von {tech} zur Hochverfügbarkeit lesen.",
        "Eine Dankesmail an {person} schicken.",
    ),
    questions=(
        "Erzählen Sie etwas über sich.",
        "Warum möchten Sie wechseln?",
        "Was sind Ihre Gehaltsvorstellungen?",
        "Beschreiben Sie einen Konflikt im Team und wie Sie ihn gelöst haben.",
        "Entwerfen Sie einen URL-Kürzer.",
        "Wie funktioniert ein Datenbankindex?",
        "Auf welches Projekt sind Sie besonders stolz?",
        "Wo sehen Sie sich in drei Jahren?",
        "Warum {company}?",
    ),
    slots={},
)

SPANISH = Phrasebook(
    joiner=" ",
    sections={
        "went_well": (
            "Expliqué bien mi último proyecto y {person} hizo preguntas muy buenas.",
            "Aclaré los requisitos antes de programar y eso me ahorró tiempo.",
            "La conversación sobre {tech} fue relajada y muy técnica.",
            "Mi respuesta sobre {topic} tuvo una buena estructura: situación, acción y "
            "resultado.",
            "Mantuve la calma incluso cuando las preguntas se complicaron.",
            "Terminé el ejercicio con {minutes} minutos de margen y hablamos de las pruebas.",
        ),
        "went_poorly": (
            "Hablé demasiado al principio y me quedé sin tiempo para mis preguntas.",
            "La pregunta sobre {topic} me pilló por sorpresa y respondí demasiado rápido.",
            "No estimé la carga antes de elegir la base de datos.",
            "Se me pasó un caso límite que tuvo que señalar {person}.",
            "Hablamos de salario muy pronto y di una cifra sin pensarlo.",
        ),
        "do_differently": (
            "La próxima vez diré mis suposiciones en voz alta antes de empezar.",
            "Preparar una versión corta de mi historia principal, de dos minutos como máximo.",
            "Repasar cómo funciona {tech} por dentro, sobre todo la replicación.",
            "Hacer una entrevista de práctica sobre {topic} con una amiga.",
            "Escribir primero los casos de prueba y después el código.",
        ),
        "impressions": (
            "{person} fue muy amable y conocía {tech} a fondo.",
            "El equipo parece unido, aunque con mucha carga de trabajo.",
            "{company} da la impresión de cuidar mucho la calidad.",
            "El proceso está bien organizado; cada persona sabía lo que habían preguntado antes.",
            "No estoy seguro de la cultura: {person} interrumpía a menudo.",
        ),
        "notes": (
            "Darán respuesta en {number} días laborables.",
            "Teletrabajo tres días a la semana.",
            "El equipo tiene {number} desarrolladores y una diseñadora.",
            "Enviar un correo de agradecimiento a {person} esta noche.",
            "Usan {tech} y están migrando a microservicios.",
        ),
    },
    answers=(
        "Hablé de la migración de nuestra base de datos y de mi papel en ella.",
        "Empecé con una solución sencilla y después la optimicé con un montículo.",
        "Propuse una arquitectura con {tech} como caché delante de la base de datos.",
        "Respondí con sinceridad que busco más responsabilidad técnica.",
        "No estaba seguro; razoné en voz alta y {person} me dio alguna pista.",
    ),
    next_time=(
        "Empezar por el resultado y luego explicar cómo.",
        "Dar un ejemplo con cifras.",
        "Aclarar el volumen de datos antes de dibujar.",
        "No pasar de dos minutos.",
    ),
    actions=(
        "Practicar tres ejercicios de grafos esta semana.",
        "Preparar una versión corta de mi trayectoria.",
        "Leer la documentación de {tech} sobre alta disponibilidad.",
        "Enviar un correo de agradecimiento a {person}.",
    ),
    questions=(
        "Háblame de ti.",
        "¿Por qué quieres dejar tu trabajo actual?",
        "¿Cuáles son tus expectativas salariales?",
        "Cuéntame un conflicto con un compañero y cómo lo resolviste.",
        "Diseña un acortador de URL.",
        "¿Cómo funciona un índice en una base de datos?",
        "¿De qué proyecto estás más orgulloso?",
        "¿Dónde te ves dentro de tres años?",
        "¿Por qué {company}?",
    ),
    slots={},
)

JAPANESE = Phrasebook(
    joiner="",
    bullet="・",
    sections={
        "went_well": (
            "前職のプロジェクトについて分かりやすく説明でき、{person}さんから良い質問をもらえた。",
            "コーディングの前に要件を確認したので、遠回りせずに済んだ。",
            "{tech}についての会話は和やかで、技術的にも面白かった。",
            "{topic}に関する回答は、状況・行動・結果の順でまとめられた。",
            "質問が難しくなっても落ち着いて考えられた。",
            "演習は{minutes}分残して終わり、テストの話もできた。",
        ),
        "went_poorly": (
            "最初に話しすぎて、逆質問の時間が足りなかった。",
            "{topic}の質問に不意を突かれ、急いで答えてしまった。",
            "データベースを選ぶ前に負荷の見積もりをしなかった。",
            "境界条件の見落としを{person}さんに指摘された。",
            "年収の話が早い段階で出て、よく考えずに数字を言ってしまった。",
        ),
        "do_differently": (
            "次回は始める前に前提を声に出して確認する。",
            "一番伝えたい経験を二分で話せるように準備する。",
            "{tech}の内部構造、特にレプリケーションを復習する。",
            "{topic}について友人と模擬面接をする。",
            "コードより先にテストケースを書く。",
        ),
        "impressions": (
            "{person}さんは親切で、{tech}にとても詳しかった。",
            "チームの雰囲気は良いが、かなり忙しそうだった。",
            "{company}は品質を大切にしている印象を受けた。",
            "選考の流れがよく整理されていて、面接官同士で情報が共有されていた。",
            "社風には少し不安がある。{person}さんがよく話を遮っていた。",
        ),
        "notes": (
            "結果は{number}営業日以内に連絡が来る予定。",
            "リモートワークは週三日まで可能。",
            "チームはエンジニア{number}名とデザイナー一名。",
            "今夜{person}さんにお礼のメールを送る。",
            "{tech}を多用していて、マイクロサービスへの移行を進めている。",
        ),
    },
    answers=(
        "データベース移行のプロジェクトについて、自分の役割を中心に話した。",
        "まず単純な解法を示し、その後ヒープを使って最適化した。",
        "データベースの前に{tech}のキャッシュを置く構成を提案した。",
        "技術的な責任をもっと持ちたいと正直に答えた。",
        "自信がなかったので、声に出して考えながら{person}さんのヒントで進めた。",
    ),
    next_time=(
        "結論から先に話す。",
        "数字を使った具体例を出す。",
        "図を描く前にデータ量を確認する。",
        "二分以内にまとめる。",
    ),
    actions=(
        "今週中にグラフの問題を三問解く。",
        "経歴を短く説明する練習をする。",
        "{tech}の高可用性に関するドキュメントを読む。",
        "{person}さんにお礼のメールを送る。",
    ),
    questions=(
        "自己紹介をお願いします。",
        "転職を考えている理由を教えてください。",
        "希望年収はいくらですか。",
        "チームで意見が対立したときの経験を教えてください。",
        "URL短縮サービスを設計してください。",
        "データベースのインデックスの仕組みを説明してください。",
        "一番誇りに思っているプロジェクトは何ですか。",
        "三年後のキャリアをどう考えていますか。",
        "なぜ{company}なのですか。",
    ),
    slots={},
)

PHRASEBOOKS: Final[Mapping[str, Phrasebook]] = {
    "en": ENGLISH,
    "fr": FRENCH,
    "de": GERMAN,
    "es": SPANISH,
    "ja": JAPANESE,
}
