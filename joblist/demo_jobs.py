"""The demo's jobs: the fifteen of the seed's "Featured Jobs", and the topics generated ads use.

Employers are the seed's, with their real web sites; the ads' texts, salaries and application
addresses are the demo's own (applications go to the reserved example.org domain, never to a real
employer).
"""

from decimal import Decimal

from .models import JobPosting

ACADEMIC, PUBLIC = JobPosting.LibraryType.ACADEMIC, JobPosting.LibraryType.PUBLIC
ON_SITE, HYBRID = JobPosting.Workplace.ON_SITE, JobPosting.Workplace.HYBRID
FULL_TIME = JobPosting.JobType.FULL_TIME
YEAR, HOUR = JobPosting.SalaryPeriod.YEAR, JobPosting.SalaryPeriod.HOUR
Category = JobPosting.Category

# key: (name, city, state, web site)
EMPLOYERS = {
    "mizzou": ("University of Missouri", "Columbia", "MO", "https://library.missouri.edu/"),
    "utmb": (
        "UTMB Library - The University of Texas Medical Branch",
        "Galveston",
        "TX",
        "https://www.utmb.edu/library",
    ),
    "mst": ("Missouri University of Science and Technology", "Rolla", "MO", "https://library.mst.edu/"),
    "cincinnati": ("University of Cincinnati Library", "Cincinnati", "OH", "https://libraries.uc.edu/"),
    "petersburg": ("City of Petersburg", "Petersburg", "VA", "https://www.petersburgva.gov/"),
    "hofstra": ("Hofstra University", "Hempstead", "NY", "https://www.hofstra.edu/library/"),
    "enmu": ("Eastern New Mexico University", "Portales", "NM", "https://www.enmu.edu/"),
    "placer": ("Placer County Library", "Rocklin", "CA", "https://www.placer.ca.gov/library"),
    "dayton": ("Dayton Metro Library", "Dayton", "OH", "https://www.daytonmetrolibrary.org/"),
    "avon-lake": ("Avon Lake Public Library (OH)", "Avon Lake", "OH", "https://www.alpl.org/"),
    "binghamton": ("Binghamton University", "Binghamton", "NY", "https://www.binghamton.edu/libraries/"),
    "tsu": ("Texas Southern University", "Houston", "TX", "https://www.tsu.edu/"),
}


def _salary(low, high, period=YEAR):
    return (Decimal(low), Decimal(high), period)


def _apply(employer, title):
    slug = title.lower().replace(" ", "-").replace("'", "")
    return f"https://jobs.example.org/{employer}/{slug}"


# In the seed's order, newest first; `days_ago` is the seed's age ("2 weeks ago" ...).
JOBS = [
    {
        "title": "Education Librarian",
        "employer": "mizzou",
        "city": "Columbia",
        "state": "MO",
        "days_ago": 14,
        "workplace": ON_SITE,
        "library_type": ACADEMIC,
        "category": Category.INSTRUCTION,
        "job_type": FULL_TIME,
        "salary": _salary(58000, 65000),
        "is_featured": True,
        "apply_url": _apply("mizzou", "Education Librarian"),
        "description": """The University of Missouri Libraries seek an **Education Librarian** to serve the
College of Education and Human Development: its students, faculty and the school librarians it trains.

You will teach information literacy sessions in undergraduate and graduate courses, build the
education and curriculum collections, and offer research consultations in person and online.

- Liaison to the College of Education and Human Development
- Instruction and research consultations, including for distance students
- Collection development for education, counseling and learning technologies""",
        "requirements": """- An ALA-accredited master's degree in library or information science
- Experience teaching or providing reference in an academic or school setting
- Familiarity with ERIC and education research databases""",
    },
    {
        "title": "Director of Library Services",
        "employer": "utmb",
        "city": "Galveston",
        "state": "TX",
        "days_ago": 15,
        "workplace": ON_SITE,
        "library_type": ACADEMIC,
        "category": Category.ADMINISTRATION,
        "job_type": FULL_TIME,
        "salary": None,
        "is_featured": True,
        "apply_url": _apply("utmb", "Director of Library Services"),
        "description": """The Moody Medical Library serves the schools of medicine, nursing, health
professions and public and population health at **The University of Texas Medical Branch**, and
its hospitals. The Director leads a staff of 30 and a budget that supports clinical care,
education and research.

- Set the library's strategy with the university's academic and clinical leaders
- Lead the health sciences collections, systematic review and research data services
- Steward the historical collections, among the oldest medical libraries in Texas""",
        "requirements": """- An ALA-accredited master's degree; a second advanced degree is preferred
- At least seven years of progressively responsible leadership in a health sciences library
- AHIP membership, or eligibility""",
    },
    {
        "title": "Digital Scholarship Librarian",
        "employer": "mst",
        "city": "Rolla",
        "state": "MO",
        "days_ago": 21,
        "workplace": HYBRID,
        "library_type": ACADEMIC,
        "category": Category.TECHNOLOGY,
        "job_type": FULL_TIME,
        "salary": _salary(60000, 68000),
        "apply_url": _apply("mst", "Digital Scholarship Librarian"),
        "description": """Curtis Laws Wilson Library at **Missouri S&T** seeks a librarian to grow its
digital scholarship services: the institutional repository, research data management and open
publishing for a science and engineering university.

- Manage Scholars' Mine, the university's repository, and its workflows
- Consult with researchers on data management plans and open access
- Teach workshops on research data, digital tools and scholarly communication""",
        "requirements": """- An ALA-accredited master's degree, or a graduate degree in a related field
- Experience with an institutional repository platform
- Interest in working with engineering and science researchers""",
    },
    {
        "title": "Social Sciences and Government Information Librarian",
        "employer": "mizzou",
        "city": "Columbia",
        "state": "MO",
        "days_ago": 22,
        "workplace": ON_SITE,
        "library_type": ACADEMIC,
        "category": Category.LIBRARIAN,
        "job_type": FULL_TIME,
        "salary": _salary(58000, 65000),
        "apply_url": _apply("mizzou", "Social Sciences and Government Information Librarian"),
        "description": """Ellis Library, a regional depository of the Federal Depository Library
Program, seeks a librarian for the social sciences and government information.

- Liaison to political science, economics, sociology and public affairs
- Help students and the public find federal, state and international government information
- Work on the library's government documents digitization and cataloging projects""",
        "requirements": """- An ALA-accredited master's degree in library or information science
- Knowledge of government information sources, print and online
- Excellent communication skills and a commitment to public service""",
    },
    {
        "title": "Associate Dean for Research and Instruction",
        "employer": "cincinnati",
        "city": "Cincinnati",
        "state": "OH",
        "days_ago": 25,
        "workplace": ON_SITE,
        "library_type": ACADEMIC,
        "category": Category.ADMINISTRATION,
        "job_type": FULL_TIME,
        "salary": _salary(125000, 145000),
        "apply_url": _apply("cincinnati", "Associate Dean for Research and Instruction"),
        "description": """The **University of Cincinnati Libraries** seek an Associate Dean to lead research
and instruction services across the university's libraries, with departments for teaching and
learning, research and data services, and subject liaisons.

- Lead and develop a team of about 40 librarians and staff
- Shape the libraries' instruction program with the colleges and the Faculty Senate
- Represent the libraries in university research initiatives""",
        "requirements": """- An ALA-accredited master's degree
- Substantial experience leading public services in a research library
- A record of collaboration with faculty and academic units""",
    },
    {
        "title": "Librarian I - Children's Coordinator",
        "employer": "petersburg",
        "city": "Petersburg",
        "state": "VA",
        "days_ago": 25,
        "workplace": ON_SITE,
        "library_type": PUBLIC,
        "category": Category.YOUTH,
        "job_type": FULL_TIME,
        "salary": _salary("23.10", "26.40", HOUR),
        "apply_email": "library-jobs@petersburg.example.org",
        "description": """The **Petersburg Public Library** is looking for a children's coordinator to plan
story times, summer reading and school outreach for children from birth to age 12 and their
families.

- Plan and lead weekly story times and family programs
- Run the summer reading program with community partners and schools
- Select and weed the children's collection""",
        "requirements": """- A bachelor's degree; an MLS or MLIS, or working toward one, is preferred
- Experience working with children in a library, school or community setting
- A valid driver's license for outreach visits""",
    },
    {
        "title": "Research and Learning Services Librarian",
        "employer": "hofstra",
        "city": "Hempstead",
        "state": "NY",
        "days_ago": 25,
        "workplace": HYBRID,
        "library_type": ACADEMIC,
        "category": Category.INSTRUCTION,
        "job_type": FULL_TIME,
        "salary": _salary(65000, 70000),
        "apply_url": _apply("hofstra", "Research and Learning Services Librarian"),
        "description": """**Hofstra University Libraries** seek a librarian to teach and support student
research, with a focus on first-year students and the university's writing program.

- Teach information literacy in first-year writing and seminar courses
- Staff the research help desk and chat service, including some evenings
- Create online guides and short tutorials""",
        "requirements": """- An ALA-accredited master's degree
- Teaching experience in a library or classroom
- Experience with LibGuides or similar tools is a plus""",
    },
    {
        "title": "Instruction and Engagement Librarian",
        "employer": "enmu",
        "city": "Portales",
        "state": "NM",
        "days_ago": 26,
        "workplace": ON_SITE,
        "library_type": ACADEMIC,
        "category": Category.INSTRUCTION,
        "job_type": FULL_TIME,
        "salary": _salary(50000, 55000),
        "apply_url": _apply("enmu", "Instruction and Engagement Librarian"),
        "description": """Golden Library at **Eastern New Mexico University**, a Hispanic-Serving
Institution, seeks a librarian to lead instruction and outreach to students on campus and online.

- Coordinate the library's instruction program
- Plan outreach events with student services and student organizations
- Promote library services on social media and in the campus community""",
        "requirements": """- An ALA-accredited master's degree
- Experience in library instruction or outreach
- Spanish language skills are welcome""",
    },
    {
        "title": "Director of Library Services",
        "employer": "placer",
        "city": "Rocklin",
        "state": "CA",
        "days_ago": 26,
        "workplace": ON_SITE,
        "library_type": PUBLIC,
        "category": Category.ADMINISTRATION,
        "job_type": FULL_TIME,
        "salary": _salary(158000, 192000),
        "apply_url": _apply("placer", "Director of Library Services"),
        "description": """**Placer County Library** serves the county's communities from the foothills to Lake
Tahoe through ten branches and a bookmobile. The Director reports to the County Executive and
works with the Library Advisory Board.

- Lead the library's strategic plan, budget and facilities
- Build partnerships with schools, cities and community organizations
- Lead a staff of about 70 through the opening of a new branch""",
        "requirements": """- An ALA-accredited master's degree
- Five years of management experience in a public library
- A California county librarian certificate, or eligibility""",
    },
    {
        "title": "Children Services Librarian",
        "employer": "dayton",
        "city": "Dayton",
        "state": "OH",
        "days_ago": 26,
        "workplace": ON_SITE,
        "library_type": PUBLIC,
        "category": Category.YOUTH,
        "job_type": FULL_TIME,
        "salary": _salary("27.35", "31.90", HOUR),
        "apply_url": _apply("dayton", "Children Services Librarian"),
        "description": """**Dayton Metro Library** seeks a children's librarian for one of its branches:
early literacy, homework help and programs that bring families into the library.

- Lead story times, early literacy and STEM programs
- Visit schools and child care centers in the branch's neighborhoods
- Help children and caregivers find books and information""",
        "requirements": """- An ALA-accredited master's degree
- Experience with children's programming
- Evening and weekend hours as scheduled""",
    },
    {
        "title": "Director",
        "employer": "avon-lake",
        "city": "Avon Lake",
        "state": "OH",
        "days_ago": 27,
        "workplace": ON_SITE,
        "library_type": PUBLIC,
        "category": Category.ADMINISTRATION,
        "job_type": FULL_TIME,
        "salary": _salary(98000, 118000),
        "apply_email": "director-search@avonlake.example.org",
        "description": """The Board of Trustees of the **Avon Lake Public Library**, a well-supported library
on the shore of Lake Erie, seeks a director to succeed its retiring director.

- Lead a staff of 45 and a budget of about $4 million
- Work with the Board on policy, finance and a facilities master plan
- Be the library's voice in the city and its schools""",
        "requirements": """- An ALA-accredited master's degree
- At least five years of supervisory experience in a public library
- Knowledge of Ohio public library finance is a plus""",
    },
    {
        "title": "Director for Collections Services",
        "employer": "binghamton",
        "city": "Binghamton",
        "state": "NY",
        "days_ago": 27,
        "workplace": ON_SITE,
        "library_type": ACADEMIC,
        "category": Category.TECHNICAL,
        "job_type": FULL_TIME,
        "salary": _salary(85000, 98000),
        "apply_url": _apply("binghamton", "Director for Collections Services"),
        "description": """**Binghamton University Libraries** seek a director to lead acquisitions,
cataloging and metadata, and electronic resources.

- Manage the collections budget and licenses with subject librarians
- Lead the move to new workflows for electronic resources
- Take part in SUNY-wide shared collections work""",
        "requirements": """- An ALA-accredited master's degree
- Experience managing technical services or collections in an academic library
- Knowledge of licensing and electronic resource management""",
    },
    {
        "title": "Director for Research Services",
        "employer": "binghamton",
        "city": "Binghamton",
        "state": "NY",
        "days_ago": 27,
        "workplace": ON_SITE,
        "library_type": ACADEMIC,
        "category": Category.ADMINISTRATION,
        "job_type": FULL_TIME,
        "salary": None,
        "apply_url": _apply("binghamton", "Director for Research Services"),
        "description": """**Binghamton University Libraries** seek a director to lead subject liaisons and
research services for a public research university.

- Lead the libraries' liaison program and research consultations
- Develop research data and scholarly communication services
- Work with the graduate school on support for graduate students""",
        "requirements": """- An ALA-accredited master's degree
- Experience leading research or liaison services in an academic library""",
    },
    {
        "title": "Executive Director Central Library",
        "employer": "tsu",
        "city": "Houston",
        "state": "TX",
        "days_ago": 28,
        "workplace": ON_SITE,
        "library_type": ACADEMIC,
        "category": Category.ADMINISTRATION,
        "job_type": FULL_TIME,
        "salary": None,
        "apply_url": _apply("tsu", "Executive Director Central Library"),
        "description": """**Texas Southern University**, one of the nation's largest historically Black
universities, seeks an Executive Director for the Robert J. Terry Library.

- Lead library services, collections and staff
- Steward the university's special collections and archives
- Plan the library's role in student success and research""",
        "requirements": """- An ALA-accredited master's degree
- Senior leadership experience in an academic library""",
    },
    {
        "title": "Director of Library Services",
        "employer": "utmb",
        "city": "Galveston",
        "state": "TX",
        "days_ago": 28,
        "workplace": ON_SITE,
        "library_type": ACADEMIC,
        "category": Category.ADMINISTRATION,
        "job_type": FULL_TIME,
        "salary": None,
        "apply_url": _apply("utmb", "Director of Library Services (health sciences)"),
        "description": """**The University of Texas Medical Branch** seeks a Director of Library Services for
the Moody Medical Library, serving health professions education, research and patient care.

- Lead library staff, services and budget
- Partner with the schools and the hospitals on evidence-based practice
- Plan the library's spaces for study and collaboration""",
        "requirements": """- An ALA-accredited master's degree
- Leadership experience in a health sciences library""",
    },
]

# Generated ads (`seed_demo --volume N`): employers and topics, combined in turn.
GENERATED_EMPLOYERS = [
    ("Riverbend Public Library", "Springfield", "IL"),
    ("Lakeshore Community College Library", "Madison", "WI"),
    ("Mesa County Libraries", "Grand Junction", "CO"),
    ("Harbor City Public Schools", "Portland", "ME"),
    ("State Historical Archives", "Montgomery", "AL"),
    ("Northern Plains University Libraries", "Fargo", "ND"),
    ("Bayview Law Library", "Tampa", "FL"),
    ("Cascade Regional Library", "Eugene", "OR"),
]

GENERATED_TOPICS = [
    {
        "title": "Reference Librarian",
        "duty": "help people find and use information at the desk, by chat and by appointment",
        "task": "Answer questions in person, by phone and online",
        "library_type": JobPosting.LibraryType.PUBLIC,
        "category": Category.LIBRARIAN,
        "requirements": ["An ALA-accredited master's degree", "Public service experience"],
    },
    {
        "title": "Teen Services Librarian",
        "duty": "plan programs, collections and spaces for teenagers",
        "task": "Run the teen advisory board and after-school programs",
        "library_type": JobPosting.LibraryType.PUBLIC,
        "category": Category.YOUTH,
        "requirements": ["An ALA-accredited master's degree", "Experience working with teens"],
    },
    {
        "title": "Metadata Librarian",
        "duty": "catalog print and digital collections and improve discovery",
        "task": "Create and maintain MARC and Dublin Core records",
        "library_type": JobPosting.LibraryType.ACADEMIC,
        "category": Category.TECHNICAL,
        "requirements": ["An ALA-accredited master's degree", "Knowledge of RDA and MARC"],
    },
    {
        "title": "Archivist",
        "duty": "arrange, describe and preserve manuscript and photograph collections",
        "task": "Process collections and write finding aids",
        "library_type": JobPosting.LibraryType.ARCHIVE,
        "category": Category.ARCHIVES,
        "requirements": ["A master's degree in archival studies or library science", "Knowledge of DACS"],
    },
    {
        "title": "School Librarian",
        "duty": "teach research skills and build a collection for students in grades 6 to 12",
        "task": "Co-teach research units with classroom teachers",
        "library_type": JobPosting.LibraryType.SCHOOL,
        "category": Category.INSTRUCTION,
        "requirements": ["School library media certification", "Teaching experience"],
    },
    {
        "title": "Library Systems Administrator",
        "duty": "run the integrated library system, discovery layer and public computers",
        "task": "Maintain the ILS and its integrations",
        "library_type": JobPosting.LibraryType.ACADEMIC,
        "category": Category.TECHNOLOGY,
        "requirements": ["Experience administering an ILS", "Scripting in Python or similar"],
    },
    {
        "title": "Library Assistant",
        "duty": "check materials in and out, shelve and help visitors at the front desk",
        "task": "Staff the circulation desk",
        "library_type": JobPosting.LibraryType.PUBLIC,
        "category": Category.SUPPORT,
        "requirements": ["A high school diploma", "Customer service experience"],
    },
    {
        "title": "Law Librarian",
        "duty": "support attorneys, judges and the public with legal research",
        "task": "Teach legal research databases",
        "library_type": JobPosting.LibraryType.SPECIAL,
        "category": Category.LIBRARIAN,
        "requirements": ["An ALA-accredited master's degree", "A JD is preferred"],
    },
]
