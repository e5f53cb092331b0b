#!/usr/bin/env python3
"""Point-in-time customer rows from the UCI Online Retail transactions, for the clv and purchase-propensity models.

    python3 models/python/online_retail.py ../shared/data/online-retail/online-retail.csv.gz --out retail-rows.csv

Each row is one customer as of the cutoff (default 2011-09-09, 91 days before the data ends),
with features named and computed as the service computes them from purchase events
(`purchases`, `revenue`, `days_since_last_purchase`, `days_since_first_seen`) and the `country`
trait, using only invoices before the cutoff; and two labels from the 91 days after it:
`future_revenue` (GBP spent, the clv label) and `purchased` (1 when the customer bought again,
the purchase-propensity label). Only customers with a CustomerID and a purchase before the cutoff;
cancelled invoices (`C…`) and lines with a non-positive quantity or price are left out.
"""

import argparse
import csv
import datetime
import gzip
import sys
from collections import defaultdict


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("transactions", help="online-retail.csv.gz")
    ap.add_argument("--out", required=True)
    ap.add_argument("--cutoff", default="2011-09-09")
    ap.add_argument("--horizon-days", type=int, default=91)
    args = ap.parse_args()

    cutoff = datetime.datetime.fromisoformat(args.cutoff)
    end = cutoff + datetime.timedelta(days=args.horizon_days)
    invoices = defaultdict(dict)  # customer -> invoice -> (time, total)
    country = {}
    with gzip.open(args.transactions, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if not r["CustomerID"] or r["InvoiceNo"][0] in "CA":
                continue
            quantity, price = int(r["Quantity"]), float(r["UnitPrice"])
            if quantity <= 0 or price <= 0:
                continue
            at = datetime.datetime.fromisoformat(r["InvoiceDate"])
            if at >= end:
                continue
            customer = r["CustomerID"]
            time, total = invoices[customer].get(r["InvoiceNo"], (at, 0.0))
            invoices[customer][r["InvoiceNo"]] = (min(time, at), total + quantity * price)
            if at < cutoff:
                country[customer] = r["Country"]

    rows = 0
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["customer_id", "purchases", "revenue", "days_since_last_purchase", "days_since_first_seen", "country", "future_revenue", "purchased"])
        for customer in sorted(invoices):
            before = [v for v in invoices[customer].values() if v[0] < cutoff]
            if not before:
                continue
            after = sum(t for at, t in invoices[customer].values() if at >= cutoff)
            first, last = min(at for at, _ in before), max(at for at, _ in before)
            w.writerow([customer, len(before), round(sum(t for _, t in before), 2),
                        round((cutoff - last).total_seconds() / 86400, 4), round((cutoff - first).total_seconds() / 86400, 4),
                        country[customer], round(after, 2), 1 if after > 0 else 0])
            rows += 1
    print(f"{rows} customers as of {args.cutoff} written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
