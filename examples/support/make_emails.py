"""Deterministic generator of the support-email example (synthetic: every
name, address, phone, card and order number is made up).

usage: python3 make_emails.py [ROWS]   (writes emails.csv and emails.labels.jsonl here)

emails.csv: ticket_id, received (date), customer_name, customer_email,
subject, body, sentiment (positive / negative / neutral).
emails.labels.jsonl: per ticket, the PII spans inside `body` (start, end in
characters, entity type) for measuring redaction.
"""
import csv, json, os, random, sys

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
rng = random.Random(20261125)
here = os.path.dirname(os.path.abspath(__file__))

NAMES = {
    "en": (["James", "Olivia", "William", "Emma", "Henry", "Grace", "Jack", "Amelia", "Thomas", "Charlotte"],
           ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Walker", "Hall", "Wright"]),
    "es": (["Sofia", "Mateo", "Lucia", "Santiago", "Valentina", "Diego", "Camila", "Javier", "Isabella", "Carlos"],
           ["Garcia", "Martinez", "Lopez", "Hernandez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores"]),
    "de": (["Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Leon", "Hannah", "Paul", "Laura"],
           ["Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"]),
    "in": (["Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Diya", "Arjun", "Kavya", "Rahul", "Isha"],
           ["Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Joshi"]),
    "cn": (["Wei", "Li", "Jing", "Hao", "Mei", "Jun", "Xiu", "Lei", "Yan", "Ming"],
           ["Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu"]),
    "ng": (["Chinedu", "Amara", "Emeka", "Ngozi", "Tunde", "Folake", "Ifeanyi", "Chioma", "Segun", "Adaeze"],
           ["Okafor", "Adeyemi", "Okonkwo", "Eze", "Balogun", "Nwosu", "Obi", "Adebayo", "Afolabi", "Uche"]),
    "jp": (["Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Yuto", "Sakura", "Riku", "Mio"],
           ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"]),
    "ar": (["Omar", "Layla", "Youssef", "Fatima", "Karim", "Nour", "Hassan", "Amira", "Ali", "Salma"],
           ["Haddad", "Khalil", "Nasser", "Mansour", "Saleh", "Hamdan", "Aziz", "Farouk", "Rahman", "Sabbagh"]),
}
PROVIDERS = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com", "mail.de", "web.de"]


def phone():
    kind = rng.randrange(5)
    if kind == 0:
        return f"({rng.randrange(201, 990)}) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"
    if kind == 1:
        return f"+1 {rng.randrange(201, 990)} {rng.randrange(200, 999)} {rng.randrange(1000, 9999)}"
    if kind == 2:
        return f"+44 20 7{rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    if kind == 3:
        return f"+49 30 {rng.randrange(1000000, 9999999)}"
    return f"+91 98{rng.randrange(10, 99)} {rng.randrange(100000, 999999)}"


def card():
    d = [4] + [rng.randrange(10) for _ in range(14)]
    s = 0
    for i, x in enumerate(reversed(d)):
        y = x * 2 if i % 2 == 0 else x
        s += y - 9 if y > 9 else y
    d.append((10 - s % 10) % 10)
    g = "".join(map(str, d))
    return " ".join(g[i:i + 4] for i in range(0, 16, 4))


OPEN = ["Hello,", "Hi there,", "Dear support team,", "Good morning,", "Hey,"]
BODY = {
    "negative": [
        "my order {order} arrived damaged and nobody has answered my last two messages.",
        "I was charged twice for order {order}. This is really frustrating.",
        "the package for order {order} never arrived and the tracking page shows nothing.",
        "I returned order {order} three weeks ago and I am still waiting for my refund.",
    ],
    "positive": [
        "order {order} arrived a day early and everything works perfectly. Thank you!",
        "your colleague fixed the problem with order {order} in minutes. Great service.",
        "just wanted to say the replacement for order {order} is exactly what I needed.",
        "thanks for the quick refund on order {order}, much appreciated.",
    ],
    "neutral": [
        "could you tell me when order {order} will ship?",
        "I would like to change the delivery address for order {order}.",
        "can I add a gift note to order {order} before it ships?",
        "please send me an invoice for order {order}.",
    ],
}
CONTACT = [
    " You can reach me at {phone} or {email}.",
    " Please call me back on {phone}.",
    " My email is {email} if you need anything else.",
    "",
]
CLOSE = ["Thanks,", "Best regards,", "Cheers,", "Kind regards,", "Regards,"]

rows, labels = [], []
for i in range(ROWS):
    first_names, last_names = NAMES[rng.choice(list(NAMES))]
    first, last = rng.choice(first_names), rng.choice(last_names)
    name = f"{first} {last}"
    email = f"{first.lower()}.{last.lower()}{rng.randrange(1, 99)}@{rng.choice(PROVIDERS)}"
    ph = phone()
    order = f"ORD-{rng.randrange(100000, 999999)}"
    sentiment = rng.choices(["negative", "positive", "neutral"], weights=[4, 3, 3])[0]
    spans = []
    text = ""

    def add(s, entity=None):
        global text
        if entity:
            spans.append({"start": len(text), "end": len(text) + len(s), "entity": entity})
        text += s

    add(rng.choice(OPEN) + " ")
    sentence = rng.choice(BODY[sentiment])
    pre, post = sentence.split("{order}")
    add(pre[0].upper() + pre[1:] if rng.random() < 0.5 else pre)
    add(order)
    add(post)
    if sentiment == "negative" and rng.random() < 0.1:
        add(" The card ending in the number ")
        add(card(), "CREDIT_CARD")
        add(" was charged.")
    contact = rng.choice(CONTACT)
    parts = contact.replace("{phone}", "\x00phone\x00").replace("{email}", "\x00email\x00").split("\x00")
    for p in parts:
        if p == "phone":
            add(ph, "PHONE_NUMBER")
        elif p == "email":
            add(email, "EMAIL_ADDRESS")
        else:
            add(p)
    add("\n\n" + rng.choice(CLOSE) + "\n")
    add(name if rng.random() < 0.7 else first, "PERSON")
    day = f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    ticket = f"T{100000 + i}"
    rows.append([ticket, day, name, email, f"Question about {order}", text, sentiment])
    labels.append({"ticket_id": ticket, "spans": spans})

with open(os.path.join(here, "emails.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["ticket_id", "received", "customer_name", "customer_email", "subject", "body", "sentiment"])
    w.writerows(rows)
with open(os.path.join(here, "emails.labels.jsonl"), "w") as f:
    for l in labels:
        f.write(json.dumps(l) + "\n")
