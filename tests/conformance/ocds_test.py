#!/usr/bin/python3
"""The OCDS export against the official OCDS 1.1 schemas (draft 4).

Usage: ocds_test.py SCHEMA_DIR EXPORT

SCHEMA_DIR holds release-package-schema.json, release-schema.json and the release
schema patches of the two extensions the package declares, lots-extension.json and
bids-extension.json. The extensions are applied to the release schema as JSON Merge
Patches (RFC 7386); the package is validated against release-package-schema.json with
its releases resolved against the patched release schema (the release schema's URL
mapped to it in the resolver's store: nothing is fetched).

EXPORT is what the db suite's "OCDS export" test case wrote (CTest's
conformance.ocds.export, CANOPEE_OCDS_EXPORT_FILE). Fails, never skips, when a schema
file, the export or Debian's python3-jsonschema is missing.

Besides the schema, what it cannot say: the ocid starts with an OCID prefix
(ocds-xxxxxx-), release ids are unique per ocid, the ids of each array are unique
within their release and every reference (relatedLot(s), relatedBid, awardID, party
references) names an object of the release. The export must cover the chain (an
active award, a signed and notified contract, an unsuccessful lot, a cancelled tender),
and the validator itself must reject a wrong lot status (lots extension applied), a
wrong bid status (bids extension applied), a wrong contract status and a date that is
not a date-time (so a schema that checks nothing cannot pass).
"""
import copy
import json
import os
import re
import sys

SCHEMAS = ("release-package-schema.json", "release-schema.json", "lots-extension.json", "bids-extension.json")
OCID = re.compile(r"^ocds-[a-z0-9]{6}-.+")
# RFC 3339 date-time (jsonschema checks the format only with optional modules: checked here).
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def merge_patch(target, patch):
    """RFC 7386."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def load(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        fail(f"{what} is not readable at {path} ({e})")


def build_validator(schema_dir):
    import jsonschema

    schemas = {}
    for name in SCHEMAS:
        schemas[name] = load(os.path.join(schema_dir, name),
                             f"the official OCDS schema {name} (expected in ../shared/data/ocds beside the source tree)")
    package_schema = schemas["release-package-schema.json"]
    release = schemas["release-schema.json"]
    for extension in ("lots-extension.json", "bids-extension.json"):
        release = merge_patch(release, schemas[extension])
    release_url = package_schema["properties"]["releases"]["items"]["$ref"]
    if release_url != release.get("id"):
        fail(f"the package schema refers to {release_url}, the release schema is {release.get('id')}")

    validator_class = jsonschema.Draft4Validator
    validator_class.check_schema(package_schema)
    validator_class.check_schema(release)
    resolver = jsonschema.RefResolver(base_uri=package_schema["id"], referrer=package_schema,
                                      store={release_url: release, package_schema["id"]: package_schema})
    checker = jsonschema.FormatChecker()
    checker.checks("date-time")(lambda value: not isinstance(value, str) or bool(DATE_TIME.match(value)))
    checker.checks("uri")(lambda value: not isinstance(value, str) or bool(URI.match(value)))
    return validator_class(package_schema, resolver=resolver, format_checker=checker)


def check_ids(release, where, problems):
    """Unique ids in each array of the release, and every reference resolved."""
    def ids_of(items, what):
        seen = []
        for item in items or []:
            if item.get("id") in seen:
                problems.append(f"{where}: {what} id {item.get('id')} twice")
            seen.append(item.get("id"))
        return set(seen)

    tender = release.get("tender", {})
    parties = ids_of(release.get("parties"), "parties")
    lots = ids_of(tender.get("lots"), "tender.lots")
    ids_of(tender.get("items"), "tender.items")
    bids = ids_of(release.get("bids", {}).get("details"), "bids.details")
    awards = ids_of(release.get("awards"), "awards")
    ids_of(release.get("contracts"), "contracts")

    def expect(value, among, what):
        if value not in among:
            problems.append(f"{where}: {what} {value} names nothing in the release")

    for item in tender.get("items", []):
        if "relatedLot" in item:
            expect(item["relatedLot"], lots, "items.relatedLot")
    if "procuringEntity" in tender:
        expect(tender["procuringEntity"]["id"], parties, "tender.procuringEntity")
    for bid in release.get("bids", {}).get("details", []):
        for lot in bid.get("relatedLots", []):
            expect(lot, lots, "bids.details.relatedLots")
        for tenderer in bid.get("tenderers", []):
            expect(tenderer["id"], parties, "bids.details.tenderers")
    for award in release.get("awards", []):
        for lot in award.get("relatedLots", []):
            expect(lot, lots, "awards.relatedLots")
        if "relatedBid" in award:
            expect(award["relatedBid"], bids, "awards.relatedBid")
        for supplier in award.get("suppliers", []):
            expect(supplier["id"], parties, "awards.suppliers")
    for contract in release.get("contracts", []):
        expect(contract["awardID"], awards, "contracts.awardID")
        if "buyer" in contract:
            expect(contract["buyer"]["id"], parties, "contracts.buyer")


def main():
    if len(sys.argv) != 3:
        fail("usage: ocds_test.py SCHEMA_DIR EXPORT")
    schema_dir, export_path = sys.argv[1], sys.argv[2]
    if not os.path.isdir(schema_dir):
        fail(f"no OCDS schemas at {schema_dir}: they are expected in ../shared/data/ocds beside the source tree")
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        fail(f"{sys.executable} has no jsonschema module: install Debian's python3-jsonschema (bash scripts/setup)")
    validator = build_validator(schema_dir)
    try:
        with open(export_path, encoding="utf-8") as f:
            export = json.load(f)
    except OSError as e:
        fail(f"no export at {export_path} ({e}): run the CTest entry conformance.ocds.export first")

    errors = sorted(validator.iter_errors(export), key=lambda e: list(e.absolute_path))
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        print(f"  {where}: {e.message}", file=sys.stderr)
    if errors:
        fail(f"{len(errors)} schema error(s) in {export_path}")

    releases = export.get("releases", [])
    if not releases:
        fail("the package holds no release: nothing was validated")
    problems = []
    release_ids = set()
    for index, release in enumerate(releases):
        where = f"releases/{index}"
        if not OCID.match(release["ocid"]):
            problems.append(f"{where}: ocid {release['ocid']} does not start with an OCID prefix (ocds-xxxxxx-)")
        if not release["id"].startswith(release["ocid"]):
            problems.append(f"{where}: release id {release['id']} is not under its ocid")
        if (release["ocid"], release["id"]) in release_ids:
            problems.append(f"{where}: release id {release['id']} twice for {release['ocid']}")
        release_ids.add((release["ocid"], release["id"]))
        check_ids(release, where, problems)
    for p in problems:
        print(f"  {p}", file=sys.stderr)
    if problems:
        fail(f"{len(problems)} OCDS rule(s) broken in {export_path}")

    # The package covers the chain: else it proves little.
    awards = [a for r in releases for a in r.get("awards", [])]
    contracts = [c for r in releases for c in r.get("contracts", [])]
    coverage = {
        "an active award": any(a["status"] == "active" and "date" in a for a in awards),
        "an unsuccessful lot's award": any(a["status"] == "unsuccessful" for a in awards),
        "a signed and notified contract": any(
            c["status"] == "active" and "dateSigned" in c and "startDate" in c.get("period", {}) for c in contracts),
        "a complete tender with its award period": any(
            r["tender"]["status"] == "complete" and "endDate" in r["tender"].get("awardPeriod", {}) for r in releases),
        "a cancelled tender": any(r["tender"]["status"] == "cancelled" for r in releases),
    }
    missing = [what for what, present in coverage.items() if not present]
    if missing:
        fail(f"the export lacks {', '.join(missing)}")

    # The validator checks what it should: the extensions applied, closed codelists, formats.
    for what, mutate in (
        ("a lot status outside the codelist", lambda r: r["tender"]["lots"][0].__setitem__("status", "awarded")),
        ("a bid status outside the codelist", lambda r: r["bids"]["details"][0].__setitem__("status", "accepted")),
        ("a contract status outside the codelist", lambda r: r["contracts"][0].__setitem__("status", "signed")),
        ("a dateSigned that is not a date-time", lambda r: r["contracts"][0].__setitem__("dateSigned", "2026-11-03")),
        ("a release without its ocid", lambda r: r.pop("ocid")),
    ):
        broken = copy.deepcopy(export)
        mutate(broken["releases"][0])
        if validator.is_valid(broken):
            fail(f"the validator accepted {what}: it does not check what it should")

    print(f"ok: {len(releases)} OCDS release(s), {len(awards)} award(s), {len(contracts)} contract(s) "
          f"valid against the release package schema 1.1 with the lots and bids extensions")


if __name__ == "__main__":
    main()
