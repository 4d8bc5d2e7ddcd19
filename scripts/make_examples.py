#!/usr/bin/env python3
"""Deterministically (re)generate the example data under examples/.

    python3 scripts/make_examples.py

Everything is synthetic: names come from Veil's own gazetteers, numbers are
generated with valid check digits, secrets are random strings shaped like
real credentials (none is live). Fixed seed: the output is byte-identical
on every run.
"""
import base64, json, os, random, string

R = random.Random(20261124)
ROOT = os.path.join(os.path.dirname(__file__), "..")
DATA = os.path.join(ROOT, "crates", "veil-detect", "data")


def load(name, n):
    rows = [l.split("\t")[0] for l in open(os.path.join(DATA, name), encoding="utf-8")]
    return rows[:n]


FIRST = [n.capitalize() for n in load("first_names.txt", 100000) if len(n) > 2]
R.shuffle(FIRST)
FIRST = FIRST[:3000] + ["Aisha", "Wei", "Priya", "Oluwaseun", "Mateo", "Yuki", "Fatima", "Sven", "Zofia", "Kwame"]
LAST = [n.capitalize() for n in load("last_names.txt", 20000)]
CITIES = ["Denver", "Toronto", "Manchester", "Lyon", "Munich", "Austin", "Dublin", "Melbourne", "Osaka", "Porto"]
STREETS = ["Maple Street", "Oak Avenue", "High Street", "Elm Road", "Park Lane", "Cedar Drive"]


def luhn_complete(prefix):
    for d in "0123456789":
        s = prefix + d
        total = 0
        for i, ch in enumerate(reversed(s)):
            x = int(ch)
            if i % 2 == 1:
                x = x * 2 - 9 if x * 2 > 9 else x * 2
            total += x
        if total % 10 == 0:
            return s


def card():
    p = R.choice(["4", "51", "52", "37", "6011"])
    n = 15 if p == "37" else 16
    return luhn_complete(p + "".join(R.choice(string.digits) for _ in range(n - len(p) - 1)))


def phone():
    return R.choice([
        f"({R.randint(201, 989)}) {R.randint(200, 999)}-{R.randint(1000, 9999)}",
        f"+44 20 7{R.randint(100, 999)} {R.randint(1000, 9999)}",
        f"+1-{R.randint(201, 989)}-{R.randint(200, 999)}-{R.randint(1000, 9999)}",
    ])


def person():
    return f"{R.choice(FIRST)} {R.choice(LAST)}"


def email(name):
    f, l = name.lower().split(" ", 1)
    return f"{f}.{l.replace(' ', '')}@{R.choice(['example.com', 'mail.example.org', 'corp.example.net'])}"


def tickets(path, n):
    import csv
    bodies_pos = ["Thanks so much, {first}! The replacement arrived and works perfectly.",
                  "Great service from {agent}, my refund for order {order} came through quickly."]
    bodies_neg = ["Hi, this is {name}. My card {card} was charged twice for order {order}. Call me at {phone}.",
                  "I moved to {num} {street}, {city} and the parcel went to the old address. Email me at {email}.",
                  "Order {order} never arrived. I have been waiting two weeks. - {first}"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ticket_id", "customer", "contact", "phone", "body", "sentiment"])
        for i in range(n):
            name = person()
            neg = R.random() < 0.5
            tmpl = R.choice(bodies_neg if neg else bodies_pos)
            body = tmpl.format(name=name, first=name.split()[0], agent=R.choice(FIRST), order=f"ORD-{R.randint(100000, 999999)}",
                               card=card(), phone=phone(), num=R.randint(1, 999), street=R.choice(STREETS),
                               city=R.choice(CITIES), email=email(name))
            w.writerow([f"T{i + 1:05d}", name, email(name), phone(), body, "negative" if neg else "positive"])


def chats(path, n):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            name = person()
            text = R.choice([
                f"my name is {name} and my email is {email(name)}",
                f"Can you update my phone to {phone()}? Thanks, {name.split()[0]}",
                f"The package for {name} should go to {R.randint(1, 999)} {R.choice(STREETS)}, {R.choice(CITIES)}.",
                "What are your opening hours on Sunday?",
            ])
            f.write(json.dumps({"id": f"chat-{i + 1}", "text": text}) + "\n")


def rand(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


AN = string.ascii_letters + string.digits


def repo(root):
    os.makedirs(os.path.join(root, "src"), exist_ok=True)
    os.makedirs(os.path.join(root, "deploy"), exist_ok=True)
    aws_id = "AKIA" + rand(string.ascii_uppercase + "234567", 16)
    aws_secret = rand(AN + "/+", 40)
    gh = "ghp_" + rand(AN, 36)
    slack = f"xoxb-{R.randint(10**9, 10**10)}-{R.randint(10**9, 10**10)}-{rand(AN, 24)}"
    stripe = "sk_live_" + rand(AN, 24)
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(b'{"sub":"1234567890","name":"Test User"}').rstrip(b"=").decode()
    jwt = f"{header}.{payload}.{rand(AN + '-_', 43)}"
    open(os.path.join(root, "src", "settings.py"), "w").write(
        f'import os\n\nAWS_ACCESS_KEY_ID = "{aws_id}"\nAWS_SECRET_ACCESS_KEY = "{aws_secret}"\n'
        f'GITHUB_TOKEN = "{gh}"\nDEBUG = True\n# docs example, not a key: AKIAIOSFODNN7EXAMPLE\n'
        f'DATABASE_URL = "postgres://app:{rand(AN, 14)}@db.internal:5432/shop"\n')
    open(os.path.join(root, "src", "notify.js"), "w").write(
        f"const SLACK_TOKEN = '{slack}';\nconst stripe = require('stripe')('{stripe}');\n"
        f"const session = '{jwt}';\n// commit 3f786850e387550fdab836ed7e6dc881de23001b\n")
    open(os.path.join(root, "deploy", "values.yaml"), "w").write(
        f"image: shop:1.4.2\nrequestId: 123e4567-e89b-12d3-a456-426614174000\napi_key: YOUR_API_KEY_HERE\n"
        f"db_password: {rand(AN, 10)}#{rand(AN, 5)}\n")
    open(os.path.join(root, "README.md"), "w").write(
        "# Demo service\n\nContact the maintainer, Dana Whitfield, at dana.whitfield@example.com.\n")


if __name__ == "__main__":
    ex = os.path.join(ROOT, "examples")
    tickets(os.path.join(ex, "support_tickets.csv"), 1000)
    chats(os.path.join(ex, "chats.jsonl"), 200)
    repo(os.path.join(ex, "repo"))
    print("examples written")
