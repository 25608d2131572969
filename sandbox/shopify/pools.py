"""Word pools the generator draws from. Names include non-ASCII letters and apostrophes on
purpose; email addresses use reserved example domains only."""

from __future__ import annotations

FIRST_NAMES = (
    "Ada",
    "Alan",
    "Amara",
    "Anna",
    "Bram",
    "Chen",
    "Chloé",
    "Daan",
    "Dmitri",
    "Elif",
    "Emma",
    "Fatima",
    "Finn",
    "Grace",
    "Hana",
    "Ibrahim",
    "Ines",
    "Jonas",
    "José",
    "Julia",
    "Kai",
    "Lars",
    "Léa",
    "Liam",
    "Lucía",
    "Maya",
    "Mehmet",
    "Mia",
    "Noah",
    "Nora",
    "Olga",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Sanne",
    "Søren",
    "Tariq",
    "Thijs",
    "Uma",
    "Vera",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoë",
    "Łukasz",
    "Ava",
    "Ben",
    "Clara",
)
LAST_NAMES = (
    "Andersen",
    "Bakker",
    "Bauer",
    "Chen",
    "de Vries",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Hansen",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Laurent",
    "Martin",
    "Müller",
    "Nakamura",
    "Nguyen",
    "O'Brien",
    "Patel",
    "Quint",
    "Rossi",
    "Santos",
    "Schmidt",
    "Smith",
    "Tanaka",
    "Visser",
    "Walker",
    "Öztürk",
    "Zhang",
    "Kim",
    "Novak",
    "Costa",
    "Lindqvist",
    "Moreau",
    "Okafor",
    "Peeters",
    "Russo",
    "Silva",
    "Wong",
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
# (city, province, province code, country, country code, zip)
PLACES = (
    ("Ottawa", "Ontario", "ON", "Canada", "CA", "K2P 2L8"),
    ("Toronto", "Ontario", "ON", "Canada", "CA", "M5V 2T6"),
    ("Montréal", "Quebec", "QC", "Canada", "CA", "H2X 1Y4"),
    ("Brooklyn", "New York", "NY", "United States", "US", "11201"),
    ("Austin", "Texas", "TX", "United States", "US", "78701"),
    ("Portland", "Oregon", "OR", "United States", "US", "97205"),
    ("Louisville", "Kentucky", "KY", "United States", "US", "40202"),
    ("London", None, None, "United Kingdom", "GB", "EC1A 1BB"),
    ("Manchester", None, None, "United Kingdom", "GB", "M1 1AE"),
    ("Amsterdam", None, None, "Netherlands", "NL", "1012 JS"),
    ("Utrecht", None, None, "Netherlands", "NL", "3511 LX"),
    ("Berlin", None, None, "Germany", "DE", "10115"),
    ("München", None, None, "Germany", "DE", "80331"),
    ("Paris", None, None, "France", "FR", "75001"),
    ("Madrid", "Madrid", "M", "Spain", "ES", "28013"),
    ("Sydney", "New South Wales", "NSW", "Australia", "AU", "2000"),
)
STREETS = (
    "Elm St.",
    "Main Street",
    "O'Connor Street",
    "Keizersgracht",
    "Rue de Rivoli",
    "King Street West",
    "Hauptstraße",
    "Baker Street",
    "Calle Mayor",
    "George Street",
)
COMPANIES = ("Acme Corp", "Globex", "Initech", "Umbrella & Sons", "Hooli")
VENDORS = ("Acme", "Northwind", "Globex Goods", "Initech Wear", "Fjord & Field", "Zuid Atelier")
PRODUCT_TYPES = ("Shirts", "Shoes", "Hats", "Bags", "Mugs", "Posters", "Socks", "Jackets")
ADJECTIVES = (
    "Classic",
    "Organic",
    "Vintage",
    "Everyday",
    "Rugged",
    "Minimal",
    "Cozy",
    "Bold",
    "Heritage",
    "Coastal",
    "Urban",
    "Alpine",
)
MATERIALS = ("Cotton", "Wool", "Linen", "Leather", "Canvas", "Ceramic", "Hemp", "Denim")
PRODUCT_TAGS = ("new", "sale", "bestseller", "eco", "limited", "gift", "summer", "winter")
CUSTOMER_TAGS = ("vip", "wholesale", "newsletter", "returning", "influencer", "b2b")
ORDER_TAGS = ("gift", "priority", "wholesale", "repeat")
SIZES = ("XS", "S", "M", "L", "XL", "XXL")
COLORS = ("Black", "White", "Red", "Blue", "Green", "Navy", "Grey", "Olive")
NOTES = (
    "Prefers email contact",
    "Met at the pop-up store",
    "Asked about bulk pricing",
    "Loves ice cream & coffee",
)
LANDING_PAGES = ("/", "/collections/all", "/products/{handle}", "/?utm_source=newsletter")
REFERRERS = ("https://www.google.com/", "https://www.instagram.com/", "", None)
CANCEL_REASONS = ("customer", "fraud", "inventory", "declined", "other", "staff")
CARRIERS = ("UPS", "USPS", "DHL Express", "PostNL", "Canada Post")
