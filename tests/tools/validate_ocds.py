#!/usr/bin/env python3
"""Validates an OCDS 1.1 release package against the OCDS schemas with extensions.

usage: validate_ocds.py SCHEMA_DIR PACKAGE.json [EXTENSION...]

SCHEMA_DIR holds release-package-schema.json, release-schema.json and extensions/NAME/
release-schema.json (tests/data/ocds-1.1). Each named extension's release schema is
merged into the release schema as an RFC 7386 JSON Merge Patch, as the OCDS tooling does; the
package is validated with its release items replaced by the merged release schema, so nothing is
fetched from the network. Draft-04 with format checks. Prints every problem with its path, one
per line, and exits 1 when there is any (0 when valid, 2 on usage errors).
"""
import json
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover
    print("validate_ocds.py: python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(2)


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return patch
    if not isinstance(target, dict):
        target = {}
    out = dict(target)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2])
        return 2
    schema_dir, package_path, extensions = argv[1], argv[2], argv[3:]
    with open(f"{schema_dir}/release-schema.json", encoding="utf-8") as f:
        release_schema = json.load(f)
    for name in extensions:
        with open(f"{schema_dir}/extensions/{name}/release-schema.json", encoding="utf-8") as f:
            release_schema = merge_patch(release_schema, json.load(f))
    with open(f"{schema_dir}/release-package-schema.json", encoding="utf-8") as f:
        package_schema = json.load(f)
    package_schema["properties"]["releases"]["items"] = {}
    with open(package_path, encoding="utf-8") as f:
        package = json.load(f)
    checker = jsonschema.FormatChecker()
    problems = []
    for e in jsonschema.Draft4Validator(package_schema, format_checker=checker).iter_errors(package):
        problems.append(f"package/{'/'.join(map(str, e.absolute_path))}: {e.message}")
    validator = jsonschema.Draft4Validator(release_schema, format_checker=checker)
    for i, release in enumerate(package.get("releases", [])):
        for e in validator.iter_errors(release):
            problems.append(f"releases/{i}/{'/'.join(map(str, e.absolute_path))}: {e.message}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
