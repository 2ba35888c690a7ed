// A small JSON Schema checker, enough for niikit's own schemas (docs/schemas/*.schema.json):
// type (incl. integer and type lists), const, enum, required, properties,
// additionalProperties (false or a schema), items, minItems, maxItems, minimum, maximum,
// minLength, pattern, local $ref ("#/$defs/name" or any "#/..." pointer), oneOf, anyOf, allOf.
// Unknown keywords ($schema, title, description...) are ignored. It is not a general validator
// (no remote refs, formats, dependentSchemas); it exists so tests and `niikit` can check report
// JSON without Python. Pure functions, thread-safe.
#pragma once

#include <string>

#include "core/error.hpp"

namespace niikit::reports {

// Checks `json_text` against `schema_text`. Success, or an `input` error naming the first
// offending location as a JSON path ("$.sections[0].blocks[2].rows: expected array, got
// string") and how many problems were found in all. Either text failing to parse is an
// `input` error naming which one.
Status validate_json(const std::string& json_text, const std::string& schema_text);

}  // namespace niikit::reports
