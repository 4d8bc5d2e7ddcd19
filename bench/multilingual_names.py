"""A labelled set of support messages in German, French, Spanish, Italian,
Portuguese and Dutch: templates written for this benchmark (the nouns,
pronouns, sign-offs and titles real mail holds) filled with common first
names, surnames and cities of each country, PERSON, LOCATION and TITLE
(the honorific before a name) spans labelled. It measures recall on people and places of those languages and
precision among their capitalised words; being templated, it is a check
of the rules, not a sample of real mail.

    python3 bench/multilingual_names.py OUT.jsonl   # then: veil eval --gold OUT.jsonl

Records: {"text", "spans": [{"start", "end", "label"}]} with code-point
offsets; 100 per language, from a fixed seed (reproducible).
"""
import json, random, sys

LANGS = {
    "de": {
        "first": ["Jens", "Anna", "Lukas", "Sabine", "Jürgen", "Katrin", "Stefan", "Monika", "Uwe",
                  "Birgit", "Thomas", "Petra", "Michael", "Ursula", "Felix", "Heike"],
        "last": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
                 "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Hinterhuber", "Grünewald"],
        "city": ["München", "Hamburg", "Köln", "Stuttgart", "Leipzig", "Dresden", "Bremen", "Hannover"],
        "templates": [
            "Sehr geehrte Damen und Herren, meine Bestellung ist nicht angekommen. Mit freundlichen Grüßen, {first} {last}",
            "Hallo, ich bin {first} {last} aus {city} und brauche Hilfe mit meiner Rechnung.",
            "Bitte rufen Sie [[Frau]] {last} zurück, sie wartet seit Montag auf eine Antwort.",
            "Guten Tag, können Sie mir bitte die Kündigung bestätigen? Vielen Dank, {first} {last}",
            "[[Herr]] {last} hat die Lieferung nach {city} reklamiert, die Ware war beschädigt.",
            "Mein Name ist {first} {last}, meine Kundennummer steht auf der Rechnung.",
            "Die Zahlung per Überweisung ist fehlgeschlagen. Grüße aus {city}, {first}",
        ],
    },
    "fr": {
        "first": ["Marie", "Pierre", "Camille", "Nicolas", "Sophie", "Julien", "Isabelle", "Antoine",
                  "Nathalie", "Mathieu", "Céline", "François", "Élodie", "Sébastien"],
        "last": ["Dupont", "Martin", "Bernard", "Dubois", "Lefebvre", "Moreau", "Laurent", "Girard",
                 "Roux", "Fournier", "Mercier", "Lefèvre", "Rousseau", "Fontaine"],
        "city": ["Lyon", "Marseille", "Toulouse", "Bordeaux", "Nantes", "Lille", "Strasbourg", "Rennes"],
        "templates": [
            "Bonjour, je voudrais annuler ma Commande. Merci pour votre Aide. Cordialement, {first} {last}",
            "Je suis {first} {last} et j'habite à {city}, ma livraison n'est jamais arrivée.",
            "Veuillez contacter [[Madame]] {last} demain matin au sujet de sa Facture.",
            "[[Monsieur]] {last} a appelé pour sa commande, il attend toujours le remboursement.",
            "Bonjour, mon colis est bloqué à {city} depuis lundi. Merci d'avance, {first}",
            "Je m'appelle {first} {last}, mon numéro de client est sur la facture.",
        ],
    },
    "es": {
        "first": ["Carlos", "María", "Javier", "Lucía", "Alejandro", "Carmen", "Pablo", "Elena",
                  "Sergio", "Laura", "Andrés", "Isabel", "Diego", "Marta"],
        "last": ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
                 "Pérez", "Gómez", "Ortega", "Navarro", "Ruiz", "Jiménez", "Moreno"],
        "city": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao", "Granada"],
        "templates": [
            "Hola, necesito ayuda con mi Pedido para una devolución. Gracias por su Atención. Saludos, {first} {last}",
            "Me llamo {first} {last} y vivo en {city}, el paquete no ha llegado.",
            "Por favor, llame a la [[señora]] {last} mañana, está esperando el reembolso.",
            "El [[señor]] {last} pidió un cambio de talla para su Pedido.",
            "Buenos días, la factura tiene un error en la Dirección de {city}. Atentamente, {first}",
            "Soy {first} {last}, mi número de cliente está en la factura.",
        ],
    },
    "it": {
        "first": ["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo",
                  "Valentina", "Andrea", "Federica", "Davide"],
        "last": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
                 "Marino", "Greco", "Bruno", "Gallo"],
        "city": ["Milano", "Torino", "Bologna", "Firenze", "Napoli", "Genova", "Verona", "Palermo"],
        "templates": [
            "Buongiorno, vorrei sapere quando arriva il mio ordine. Grazie per l'aiuto, {first} {last}",
            "Mi chiamo {first} {last} e abito a {city}, il pacco non è arrivato.",
            "La [[signora]] {last} ha chiamato per il suo ordine, aspetta il rimborso.",
            "Salve, la fattura riporta un indirizzo sbagliato a {city}. Cordiali saluti, {first}",
            "Sono {first} {last}, il mio numero cliente è sulla fattura.",
        ],
    },
    "pt": {
        "first": ["João", "Ana", "Pedro", "Mariana", "Tiago", "Beatriz", "Rui", "Inês", "Miguel",
                  "Catarina", "Luís", "Sofia"],
        "last": ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
                 "Sousa", "Figueiredo", "Carvalho", "Almeida"],
        "city": ["Lisboa", "Porto", "Braga", "Coimbra", "Faro", "Aveiro", "Recife", "Curitiba"],
        "templates": [
            "Olá, não recebi a minha encomenda e preciso de ajuda. Obrigado, {first} {last}",
            "Meu nome é {first} {last} e moro em {city}, a fatura está errada.",
            "A [[senhora]] {last} ligou sobre o pedido, ela aguarda o reembolso.",
            "Bom dia, a entrega para {city} está atrasada. Atenciosamente, {first}",
            "Sou {first} {last}, o meu número de cliente está na fatura.",
        ],
    },
    "nl": {
        "first": ["Sanne", "Daan", "Lotte", "Bram", "Femke", "Thijs", "Eva", "Ruben", "Anouk",
                  "Joost", "Marieke", "Pieter"],
        "last": ["de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
                 "Mulder", "Bos", "Vos", "Dekker"],
        "city": ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Leiden", "Haarlem", "Arnhem"],
        "templates": [
            "Goedemiddag, ik heb mijn bestelling niet ontvangen. Met vriendelijke groet, {first} {last}",
            "Ik ben {first} {last} uit {city} en de factuur klopt niet.",
            "[[Meneer]] {last} heeft gebeld over zijn bestelling, hij wacht op de terugbetaling.",
            "Hallo, het pakket ligt al een week in {city}. Groeten, {first}",
            "Mijn naam is {first} {last}, mijn klantnummer staat op de factuur.",
        ],
    },
}


def fill(template, values):
    """The text and its spans: each slot's value with its label."""
    text, spans, i = "", [], 0
    label = {"first": "PERSON", "last": "PERSON", "city": "LOCATION"}
    while i < len(template):
        if template.startswith("[[", i):
            j = template.index("]]", i)
            title = template[i + 2:j]
            spans.append([len(text), len(text) + len(title), "TITLE"])
            text += title
            i = j + 2
        elif template[i] == "{":
            j = template.index("}", i)
            slot = template[i + 1:j]
            spans.append([len(text), len(text) + len(values[slot]), label[slot]])
            text += values[slot]
            i = j + 1
        else:
            text += template[i]
            i += 1
    # "{first} {last}": one PERSON.
    merged = []
    for s in spans:
        if merged and merged[-1][2] == s[2] == "PERSON" and text[merged[-1][1]:s[0]] == " ":
            merged[-1][1] = s[1]
        else:
            merged.append(s)
    return text, [{"start": a, "end": b, "label": l} for a, b, l in merged]


def main():
    rng = random.Random(20261203)
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        for lang, d in LANGS.items():
            for k in range(100):
                values = {slot: rng.choice(d[slot]) for slot in ("first", "last", "city")}
                text, spans = fill(d["templates"][k % len(d["templates"])], values)
                f.write(json.dumps({"id": f"{lang}-{k}", "text": text, "spans": spans},
                                   ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
