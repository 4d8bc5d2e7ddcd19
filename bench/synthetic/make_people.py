"""Deterministic synthetic person table for Mondrian at scale.

usage: make_people.py ROWS OUT.csv

Columns: id, age (18-90), sex, zip (5 digits, clustered by region), education
and marital-status (Adult's categories and frequencies, roughly), occupation
(the sensitive attribute), income. Seeded: the same ROWS give the same file.
"""
import random, sys

rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261125)
EDU = ["Preschool", "1st-4th", "5th-6th", "7th-8th", "9th", "10th", "11th", "12th", "HS-grad",
       "Some-college", "Assoc-acdm", "Assoc-voc", "Bachelors", "Prof-school", "Masters", "Doctorate"]
EDU_W = [1, 2, 3, 6, 5, 9, 11, 4, 322, 224, 33, 42, 164, 18, 53, 13]
MAR = ["Married-civ-spouse", "Never-married", "Divorced", "Separated", "Widowed",
       "Married-spouse-absent", "Married-AF-spouse"]
MAR_W = [460, 328, 136, 31, 30, 13, 1]
OCC = ["Prof-specialty", "Craft-repair", "Exec-managerial", "Adm-clerical", "Sales",
       "Other-service", "Machine-op-inspct", "Transport-moving", "Handlers-cleaners",
       "Farming-fishing", "Tech-support", "Protective-serv", "Priv-house-serv", "Armed-Forces"]
OCC_W = [127, 126, 125, 116, 112, 101, 61, 49, 42, 31, 29, 20, 5, 1]
REGIONS = [rng.randrange(100, 1000) for _ in range(60)]  # 3-digit zip prefixes
CHUNK = 200_000
with open(out, "w") as f:
    f.write("id,age,sex,zip,education,marital-status,occupation,income\n")
    done = 0
    while done < rows:
        m = min(CHUNK, rows - done)
        ages = [min(90, max(18, int(rng.gauss(40, 14)))) for _ in range(m)]
        sexes = rng.choices(["Female", "Male"], weights=[33, 67], k=m)
        pre = rng.choices(REGIONS, k=m)
        edu = rng.choices(EDU, weights=EDU_W, k=m)
        mar = rng.choices(MAR, weights=MAR_W, k=m)
        occ = rng.choices(OCC, weights=OCC_W, k=m)
        lines = []
        for i in range(m):
            lines.append(f"{done + i + 1},{ages[i]},{sexes[i]},{pre[i]:03d}{rng.randrange(100):02d},"
                         f"{edu[i]},{mar[i]},{occ[i]},{rng.randrange(5, 250) * 1000}\n")
        f.write("".join(lines))
        done += m
