-- Documents in the evidence store (issue 12): `document add` copies the file into the
-- content-addressed store beside the database and records its SHA-256 and the file's original
-- name, never an absolute path to the user's file. A row here (same id as the document) marks
-- a document whose bytes are in the store. Documents recorded before this migration have no
-- row: they keep their absolute file_path and are still read and checked there, and their
-- audited rows are unchanged (a new column would make every old row differ from its audit).
CREATE TABLE stored_documents (
  id INTEGER PRIMARY KEY REFERENCES documents (id)
);
