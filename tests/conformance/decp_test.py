#!/usr/bin/python3
"""The DECP export against the official DECP 2.0.3 JSON schema (draft-07).

Usage: decp_test.py SCHEMA EXPORT

EXPORT is what the db suite's "DECP export" test case wrote (CTest's
conformance.decp.export, CANOPEE_DECP_EXPORT_FILE). Fails, never skips, when the
schema file, the export or Debian's python3-jsonschema (scripts/setup) is missing.
Besides the schema: at least one record (an empty export proves nothing), each
`id` unique per buyer (the schema's description of IdentifiantMarche), and the
validator itself rejects a record without a required field (so a schema that
checks nothing cannot pass).
"""
import copy
import json
import sys


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 3:
        fail("usage: decp_test.py SCHEMA EXPORT")
    schema_path, export_path = sys.argv[1], sys.argv[2]
    try:
        import jsonschema
    except ImportError:
        fail(f"{sys.executable} has no jsonschema module: install Debian's python3-jsonschema (bash scripts/setup)")
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    except OSError as e:
        fail(f"the official DECP schema is not readable at {schema_path} ({e}); "
             "it is expected in ../shared/data/decp beside the source tree")
    try:
        with open(export_path, encoding="utf-8") as f:
            export = json.load(f)
    except OSError as e:
        fail(f"no export at {export_path} ({e}): run the CTest entry conformance.decp.export first")

    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    errors = sorted(validator.iter_errors(export), key=lambda e: list(e.absolute_path))
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        print(f"  {where}: {e.message}", file=sys.stderr)
    if errors:
        fail(f"{len(errors)} schema error(s) in {export_path}")

    records = export["marches"].get("marche", [])
    if not records:
        fail("the export holds no record: nothing was validated")
    seen = set()
    for record in records:
        key = (record["acheteur"]["id"], record["id"])
        if key in seen:
            fail(f"id {record['id']} twice for the buyer {record['acheteur']['id']}")
        seen.add(key)

    broken = copy.deepcopy(export)
    del broken["marches"]["marche"][0]["ccag"]
    if validator.is_valid(broken):
        fail("the validator accepted a record without ccag: it checks nothing")

    print(f"ok: {len(records)} DECP record(s) valid against {schema.get('title', schema_path)}")


if __name__ == "__main__":
    main()
