"""Writes N synthetic needs as the CSV `canopee import needs` reads (seeded, so
every run loads the same rows). Usage: make_needs_csv.py N PATH"""
import random
import sys

rows, path = int(sys.argv[1]), sys.argv[2]
codes = ["44810000-1", "09310000-5", "90911200-8", "50750000-7", "30197630-1", "45442100-8", "44111000-1"]
units = ["l", "MWh", "h", "u", "u", "m2", "t"]
random.seed(1)
with open(path, "w", encoding="utf-8") as f:
    f.write("cpv,title,description,quantity,unit,reference_unit_price,department,period_start,period_end,recurring,attr.teinte\n")
    for i in range(rows):
        k = random.randrange(len(codes))
        f.write(f'{codes[k]},Besoin {i},"Ligne d\'import, n°{i}",{random.randint(1, 99999)}.{random.randint(0, 999)},'
                f'{units[k]},{random.randint(0, 999)}.{random.randint(0, 9999):04d},02,2027-01-01,2027-12-31,'
                f'{"oui" if i % 3 == 0 else "non"},{"blanc" if i % 4 == 0 else ""}\n')
